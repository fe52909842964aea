package dev.chaperone.plugins.awssigv4;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code aws-sigv4-test-suite.txt}: the cases of the AWS SigV4 test suite in this project's own format
 * (the format is described at the top of that file).
 */
final class SigV4TestSuite {

    private SigV4TestSuite() {
    }

    /** One case: its context values and its raw text sections. */
    record Case(String name, Map<String, String> context, Map<String, String> sections) {

        String context(String key) {
            String value = context.get(key);
            if (value == null) {
                throw new IllegalStateException(name + " has no '" + key + "'");
            }
            return value;
        }

        String section(String key) {
            String value = sections.get(key);
            if (value == null) {
                throw new IllegalStateException(name + " has no section '" + key + "'");
            }
            return value;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> load() {
        String text;
        try (InputStream in = SigV4TestSuite.class.getResourceAsStream("aws-sigv4-test-suite.txt")) {
            if (in == null) {
                throw new IllegalStateException("aws-sigv4-test-suite.txt is missing from the test resources");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<Case> cases = new ArrayList<>();
        String name = null;
        Map<String, String> context = null;
        Map<String, String> sections = null;
        String section = null;
        StringBuilder block = null;
        for (String line : text.split("\n", -1)) {
            boolean caseStart = line.startsWith("=== ");
            boolean sectionStart = line.startsWith("--- ");
            if ((caseStart || sectionStart) && section != null) {
                sections.put(section, block.substring(0, Math.max(0, block.length() - 1)));
                section = null;
            }
            if (caseStart) {
                if (name != null) {
                    cases.add(new Case(name, context, sections));
                }
                name = line.substring(4).trim();
                context = new LinkedHashMap<>();
                sections = new LinkedHashMap<>();
            } else if (sectionStart) {
                section = line.substring(4).trim();
                block = new StringBuilder();
            } else if (section != null) {
                block.append(line).append('\n');
            } else if (name != null && !line.isBlank()) {
                int colon = line.indexOf(": ");
                context.put(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        if (section != null) {
            // The file ends with a line break, which split() turns into a last empty line.
            String last = block.toString();
            sections.put(section, last.endsWith("\n\n") ? last.substring(0, last.length() - 2)
                    : last.substring(0, Math.max(0, last.length() - 1)));
        }
        if (name != null) {
            cases.add(new Case(name, context, sections));
        }
        return cases;
    }
}
