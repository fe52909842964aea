package dev.chaperone.server.proxy;

import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.jetty.io.Content;

/**
 * The client's request body on its way upstream, counting the bytes it passes and giving back first the
 * chunk that was read to find out whether there is a body at all. A body that grows past the limit (a
 * chunked one, whose length was not known in advance) ends in a {@link BodyTooLargeException} failure,
 * which aborts the upstream exchange before the rest is sent.
 */
final class CountingSource implements Content.Source {

    private final Content.Source delegate;
    private final AtomicLong count;
    private final long limit;
    private Content.Chunk pending;

    CountingSource(Content.Source delegate, Content.Chunk firstChunk, AtomicLong count, long limit) {
        this.delegate = delegate;
        this.pending = firstChunk;
        this.count = count;
        this.limit = limit;
    }

    @Override
    public Content.Chunk read() {
        Content.Chunk chunk;
        synchronized (this) {
            chunk = pending;
            pending = null;
        }
        if (chunk == null) {
            chunk = delegate.read();
        }
        if (chunk != null && count.addAndGet(chunk.remaining()) > limit) {
            chunk.release();
            BodyTooLargeException failure = new BodyTooLargeException(limit);
            delegate.fail(failure);
            return Content.Chunk.from(failure, true);
        }
        return chunk;
    }

    @Override
    public void demand(Runnable demandCallback) {
        boolean ready;
        synchronized (this) {
            ready = pending != null;
        }
        if (ready) {
            demandCallback.run();
        } else {
            delegate.demand(demandCallback);
        }
    }

    @Override
    public long getLength() {
        return delegate.getLength();
    }

    @Override
    public void fail(Throwable failure) {
        delegate.fail(failure);
    }

    @Override
    public void fail(Throwable failure, boolean last) {
        delegate.fail(failure, last);
    }
}
