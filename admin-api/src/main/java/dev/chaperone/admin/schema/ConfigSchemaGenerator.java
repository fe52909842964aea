package dev.chaperone.admin.schema;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Describes a plugin's config type as a JSON Schema (draft 2020-12), so that operators and tools can see what
 * a chain entry's {@code config} takes without reading the plugin's code.
 *
 * <p>Covers what plugin configs are made of: strings, numbers, booleans, enums, lists, sets, arrays, maps with
 * string keys, {@link Optional}s and nested records. Record components become properties (renamed by
 * {@code @JsonProperty}, described by {@code @JsonPropertyDescription}); unknown properties are refused,
 * as the chain compiler refuses them. Anything else is described as "any value" rather than guessed at.
 */
public final class ConfigSchemaGenerator {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ConfigSchemaGenerator() {
    }

    /** The schema of {@code configType}, with {@code $schema} set. */
    public static ObjectNode schemaOf(Class<?> configType) {
        ObjectNode schema = JSON.objectNode();
        schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        schema.setAll(describe(configType, new HashSet<>()));
        return schema;
    }

    private static ObjectNode describe(Type type, Set<Class<?>> enclosing) {
        if (type instanceof Class<?> c) {
            return describeClass(c, enclosing);
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            Type[] arguments = p.getActualTypeArguments();
            if (Optional.class.equals(raw)) {
                return describe(arguments[0], enclosing);
            }
            if (Collection.class.isAssignableFrom(raw)) {
                return array(describe(arguments[0], enclosing), Set.class.isAssignableFrom(raw));
            }
            if (Map.class.isAssignableFrom(raw)) {
                ObjectNode map = type("object");
                map.set("additionalProperties", describe(arguments[1], enclosing));
                return map;
            }
            return describeClass(raw, enclosing);
        }
        if (type instanceof GenericArrayType array) {
            return array(describe(array.getGenericComponentType(), enclosing), false);
        }
        if (type instanceof WildcardType wildcard) {
            return describe(wildcard.getUpperBounds()[0], enclosing);
        }
        if (type instanceof TypeVariable<?>) {
            return JSON.objectNode();
        }
        return JSON.objectNode();
    }

    private static ObjectNode describeClass(Class<?> c, Set<Class<?>> enclosing) {
        if (c == String.class || c == char.class || c == Character.class || c == CharSequence.class) {
            return type("string");
        }
        if (c == boolean.class || c == Boolean.class) {
            return type("boolean");
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class || c == short.class
                || c == Short.class || c == byte.class || c == Byte.class || c == BigInteger.class) {
            return type("integer");
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class || c == BigDecimal.class
                || c == Number.class) {
            return type("number");
        }
        if (c == URI.class) {
            ObjectNode uri = type("string");
            uri.put("format", "uri");
            return uri;
        }
        if (c.isEnum()) {
            ObjectNode schema = type("string");
            ArrayNode values = schema.putArray("enum");
            for (Object constant : c.getEnumConstants()) {
                values.add(((Enum<?>) constant).name());
            }
            return schema;
        }
        if (c.isArray()) {
            return array(describe(c.getComponentType(), enclosing), false);
        }
        if (Collection.class.isAssignableFrom(c)) {
            return array(JSON.objectNode(), Set.class.isAssignableFrom(c));
        }
        if (Map.class.isAssignableFrom(c)) {
            return type("object");
        }
        if (c.isRecord()) {
            return describeRecord(c, enclosing);
        }
        // JsonNode, Object and other types bound by custom rules: any value.
        return JSON.objectNode();
    }

    private static ObjectNode describeRecord(Class<?> record, Set<Class<?>> enclosing) {
        if (!enclosing.add(record)) {
            ObjectNode recursive = type("object");
            recursive.put("description", "a nested " + record.getSimpleName() + " (recursive)");
            return recursive;
        }
        ObjectNode schema = type("object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = JSON.arrayNode();
        for (RecordComponent component : record.getRecordComponents()) {
            JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
            String name = property != null && !property.value().isEmpty() ? property.value() : component.getName();
            ObjectNode propertySchema = describe(component.getGenericType(), enclosing);
            JsonPropertyDescription description = component.getAccessor().getAnnotation(JsonPropertyDescription.class);
            if (description != null) {
                propertySchema.put("description", description.value());
            }
            properties.set(name, propertySchema);
            if (property != null && property.required()) {
                required.add(name);
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        schema.put("additionalProperties", false);
        enclosing.remove(record);
        return schema;
    }

    private static ObjectNode array(JsonNode items, boolean unique) {
        ObjectNode schema = type("array");
        schema.set("items", items);
        if (unique) {
            schema.put("uniqueItems", true);
        }
        return schema;
    }

    private static ObjectNode type(String name) {
        ObjectNode schema = JSON.objectNode();
        schema.put("type", name);
        return schema;
    }
}
