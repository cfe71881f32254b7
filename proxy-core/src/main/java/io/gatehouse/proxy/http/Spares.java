package io.gatehouse.proxy.http;

/**
 * The parts of one kind that one connection's decoder has had handed back, ready for its next messages. Few: a
 * connection has one message in flight, or a few when its client pipelines; a part handed back when all places
 * are taken is left to the collector.
 */
final class Spares<T> {

    private final int capacity;
    /** Made at the first part handed back: a connection that never forwards a message keeps none. */
    private Object[] parts;
    private int count;

    Spares(int capacity) {
        this.capacity = capacity;
    }

    /** A part handed back, or null when there is none. */
    @SuppressWarnings("unchecked")
    T take() {
        if (count == 0) {
            return null;
        }
        T part = (T) parts[--count];
        parts[count] = null;
        return part;
    }

    void keep(T part) {
        if (parts == null) {
            parts = new Object[capacity];
        }
        if (count < capacity) {
            parts[count++] = part;
        }
    }
}
