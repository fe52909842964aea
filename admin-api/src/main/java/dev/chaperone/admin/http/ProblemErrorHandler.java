package dev.chaperone.admin.http;

import java.nio.charset.StandardCharsets;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

import dev.chaperone.admin.problem.Problem;

/**
 * Answers the errors that Jetty itself raises before a request reaches the API (headers too large, a
 * malformed request line) with a bare problem+json body too, so that every admin error has one shape.
 */
public final class ProblemErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message,
            Throwable cause, Callback callback) {
        // Jetty's message may quote the request; only the status is reported.
        String body = "{\"type\":\"about:blank\",\"title\":\"" + HttpStatus.getMessage(code) + "\",\"status\":" + code
                + "}";
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
        response.write(true, BufferUtil.toBuffer(body, StandardCharsets.UTF_8), callback);
    }
}
