package dev.chaperone.server.store;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chaperone.server.chain.ChainEntry;

/**
 * The JSON form of an {@link InstanceRecord} in a store. Written by hand rather than by data binding so that
 * the stored format is explicit, versioned and does not change when a Java type does.
 */
public final class InstanceRecordCodec {

    /** The format written by this version; readers refuse formats they do not know. */
    public static final int FORMAT = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private InstanceRecordCodec() {
    }

    public static byte[] encode(InstanceRecord record) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("id", record.id());
        root.put("tokenHash", Base64.getEncoder().encodeToString(record.tokenHash()));
        root.put("version", record.version());
        root.put("createdAt", record.createdAt().toString());
        root.put("updatedAt", record.updatedAt().toString());
        ArrayNode chain = root.putArray("chain");
        for (ChainEntry entry : record.chain()) {
            ObjectNode node = chain.addObject();
            node.put("plugin", entry.plugin());
            node.set("config", entry.config());
        }
        ObjectNode secrets = root.putObject("secrets");
        for (Map.Entry<String, SealedSecret> secret : record.secrets().entrySet()) {
            ObjectNode node = secrets.putObject(secret.getKey());
            node.put("sealed", Base64.getEncoder().encodeToString(secret.getValue().sealed()));
            node.put("changedAt", secret.getValue().changedAt().toString());
        }
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an instance record cannot be written as JSON", e);
        }
    }

    /**
     * Reads a record.
     *
     * @throws IOException when the bytes are not a complete record of a known format
     */
    public static InstanceRecord decode(byte[] bytes) throws IOException {
        JsonNode root = MAPPER.readTree(bytes);
        if (root == null || !root.isObject()) {
            throw new IOException("not a JSON object");
        }
        int format = required(root, "format").asInt(-1);
        if (format != FORMAT) {
            throw new IOException("unknown format " + root.get("format"));
        }
        try {
            List<ChainEntry> chain = new ArrayList<>();
            for (JsonNode entry : required(root, "chain")) {
                chain.add(new ChainEntry(required(entry, "plugin").textValue(), entry.get("config")));
            }
            Map<String, SealedSecret> secrets = new TreeMap<>();
            for (Map.Entry<String, JsonNode> field : required(root, "secrets").properties()) {
                secrets.put(field.getKey(), new SealedSecret(
                        Base64.getDecoder().decode(required(field.getValue(), "sealed").textValue()),
                        Instant.parse(required(field.getValue(), "changedAt").textValue())));
            }
            return new InstanceRecord(
                    required(root, "id").textValue(),
                    Base64.getDecoder().decode(required(root, "tokenHash").textValue()),
                    chain,
                    required(root, "version").longValue(),
                    Instant.parse(required(root, "createdAt").textValue()),
                    Instant.parse(required(root, "updatedAt").textValue()),
                    secrets);
        } catch (RuntimeException e) {
            throw new IOException("malformed record: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode node, String field) throws IOException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IOException("'" + field + "' is missing");
        }
        return value;
    }
}
