package dev.chaperone.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code curl} binary, the client sandboxes use most.
 */
public final class Curl {

    private Curl() {
    }

    /**
     * The outcome of one run.
     *
     * @param exitCode curl's exit code (0 on success; 35 for a failed TLS handshake, 56 for a refused CONNECT)
     * @param status the last HTTP status curl saw ({@code -w %{http_code}}), 0 when none
     * @param connectStatus the status of the proxy's answer to CONNECT ({@code %{http_connect}}), 0 when none
     * @param body what curl wrote as the response body
     * @param stderr curl's diagnostics
     */
    public record Result(int exitCode, int status, int connectStatus, String body, String stderr) {
    }

    /** Runs {@code curl -sS} with {@code args}, appending the status to the output to split it off again. */
    public static Result run(List<String> args) throws IOException, InterruptedException {
        String marker = "\n--curl-status:";
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "60",
                "-w", marker + "%{http_code} %{http_connect}"));
        command.addAll(args);
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        byte[] stdout = process.getInputStream().readAllBytes();
        byte[] stderr = process.getErrorStream().readAllBytes();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("curl did not finish");
        }
        String out = new String(stdout, StandardCharsets.UTF_8);
        int at = out.lastIndexOf(marker);
        int status = 0;
        int connectStatus = 0;
        String body = out;
        if (at >= 0) {
            body = out.substring(0, at);
            String[] codes = out.substring(at + marker.length()).trim().split(" ");
            status = Integer.parseInt(codes[0]);
            connectStatus = Integer.parseInt(codes[1]);
        }
        return new Result(process.exitValue(), status, connectStatus, body, new String(stderr, StandardCharsets.UTF_8));
    }
}
