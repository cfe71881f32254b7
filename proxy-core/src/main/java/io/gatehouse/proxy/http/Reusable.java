package io.gatehouse.proxy.http;

/**
 * A decoded part that its decoder makes again for a later message, once the handler that read it hands it back:
 * the plain reading's heads and body pieces. With them, a keep-alive connection forwards message after message
 * without making new message objects.
 *
 * <p>Handing back is optional: a part never handed back is left to the collector. Hand a part back only when
 * nothing holds it any more, which for a body piece means after it was written (encoded) or released, and for a
 * head after its exchange ended. Only on the event loop of the connection that decoded it.
 */
public interface Reusable {

    /** Gives this part back to its decoder; a second call before the decoder lends it again does nothing. */
    void handBack();

    /** Hands {@code part} back if it is {@link Reusable}; leaves anything else alone. */
    static void handBack(Object part) {
        if (part instanceof Reusable reusable) {
            reusable.handBack();
        }
    }
}
