package dev.chaperone.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Makes a self-signed certificate with the JDK's keytool, which also reports its fingerprint independently. */
final class TestCertificates {

    private static final Pattern SHA256 = Pattern.compile("SHA256: ([0-9A-F:]+)");

    private TestCertificates() {
    }

    /** Writes a self-signed certificate as PEM to {@code pem} and returns keytool's SHA-256 fingerprint of it. */
    static String writeSelfSigned(Path pem) throws IOException, InterruptedException {
        Path keystore = pem.resolveSibling(pem.getFileName() + ".p12");
        keytool("-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
                "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Chaperone Test CA",
                "-validity", "2");
        keytool("-exportcert", "-rfc", "-keystore", keystore.toString(), "-storepass", "changeit", "-alias", "ca",
                "-file", pem.toString());
        Matcher matcher = SHA256.matcher(keytool("-printcert", "-file", pem.toString()));
        if (!matcher.find()) {
            throw new IllegalStateException("keytool printed no SHA-256 fingerprint");
        }
        return matcher.group(1);
    }

    private static String keytool(String... arguments) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        return output;
    }
}
