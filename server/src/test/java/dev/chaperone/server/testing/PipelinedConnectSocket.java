package dev.chaperone.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A socket to the proxy that sends {@code CONNECT} together with the first bytes written to it (the TLS
 * ClientHello, when a TLS socket is layered on top) without waiting for the proxy's answer, and hides that
 * answer from whoever reads. It tests that bytes sent right after {@code CONNECT} are not lost.
 */
final class PipelinedConnectSocket extends Socket {

    private final Socket delegate;
    private final byte[] connectRequest;
    private final OutputStream out;
    private final InputStream in;
    private volatile int connectStatus;

    PipelinedConnectSocket(Socket delegate, String connectRequest) throws IOException {
        this.delegate = delegate;
        this.connectRequest = connectRequest.getBytes(StandardCharsets.ISO_8859_1);
        this.out = new FilterOutputStream(delegate.getOutputStream()) {
            private boolean sent;

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                if (!sent) {
                    sent = true;
                    ByteArrayOutputStream both = new ByteArrayOutputStream();
                    both.write(PipelinedConnectSocket.this.connectRequest);
                    both.write(bytes, offset, length);
                    super.out.write(both.toByteArray());
                } else {
                    super.out.write(bytes, offset, length);
                }
            }
        };
        this.in = new FilterInputStream(delegate.getInputStream()) {
            private boolean headSkipped;

            @Override
            public int read() throws IOException {
                skipHead();
                return super.read();
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                skipHead();
                return super.read(bytes, offset, length);
            }

            private void skipHead() throws IOException {
                if (headSkipped) {
                    return;
                }
                headSkipped = true;
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                int matched = 0;
                int b;
                while (matched < 4 && (b = super.in.read()) >= 0) {
                    head.write(b);
                    matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : 0;
                }
                String text = head.toString(StandardCharsets.ISO_8859_1);
                connectStatus = Integer.parseInt(text.split(" ")[1]);
            }
        };
    }

    /** The status of the proxy's answer to CONNECT, once something has been read. */
    int connectStatus() {
        return connectStatus;
    }

    @Override
    public OutputStream getOutputStream() {
        return out;
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public boolean isConnected() {
        return delegate.isConnected();
    }

    @Override
    public boolean isClosed() {
        return delegate.isClosed();
    }

    @Override
    public InetAddress getInetAddress() {
        return delegate.getInetAddress();
    }

    @Override
    public int getPort() {
        return delegate.getPort();
    }

    @Override
    public InetAddress getLocalAddress() {
        return delegate.getLocalAddress();
    }

    @Override
    public int getLocalPort() {
        return delegate.getLocalPort();
    }

    @Override
    public synchronized void setSoTimeout(int timeout) throws SocketException {
        delegate.setSoTimeout(timeout);
    }

    @Override
    public synchronized int getSoTimeout() throws SocketException {
        return delegate.getSoTimeout();
    }

    @Override
    public void shutdownInput() throws IOException {
        delegate.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        delegate.shutdownOutput();
    }

    @Override
    public synchronized void close() throws IOException {
        delegate.close();
    }
}
