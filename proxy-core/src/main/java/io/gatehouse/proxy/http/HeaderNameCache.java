package io.gatehouse.proxy.http;

import io.netty.util.AsciiString;
import java.util.Arrays;

/**
 * The header names one backend connection has sent, kept for its next responses. A backend sends the same dozen
 * names in every response, and Netty's response decoder knows none of them: it made a new name for each field, a
 * quarter of what forwarding a response allocated. Bounded, so a backend that invents names costs no more than
 * Netty's decoder did. Names stay as spelled: a client sees the backend's spelling.
 */
final class HeaderNameCache {

    private static final int SLOTS = 64;
    /** Half the slots at most, so a lookup probes a few slots, found or not. */
    private static final int MAX_NAMES = SLOTS / 2;
    private static final int MAX_NAME_LENGTH = 64;

    /** Made at the first response: a connection that never gets one keeps no table. */
    private AsciiString[] slots;
    private int size;

    /** The name in {@code bytes}, the kept one when it was seen before. */
    AsciiString name(byte[] bytes, int start, int length) {
        if (length > MAX_NAME_LENGTH) {
            return new AsciiString(bytes, start, length, true);
        }
        if (slots == null) {
            slots = new AsciiString[SLOTS];
        }
        int hash = 0;
        for (int i = start; i < start + length; i++) {
            hash = 31 * hash + bytes[i];
        }
        for (int probe = 0; probe < SLOTS; probe++) {
            int slot = (hash + probe) & (SLOTS - 1);
            AsciiString kept = slots[slot];
            if (kept == null) {
                AsciiString made = new AsciiString(bytes, start, length, true);
                if (size < MAX_NAMES) {
                    slots[slot] = made;
                    size++;
                }
                return made;
            }
            // Kept names were copied, so each owns its whole array from offset 0.
            if (kept.length() == length && Arrays.equals(kept.array(), 0, length, bytes, start, start + length)) {
                return kept;
            }
        }
        return new AsciiString(bytes, start, length, true);
    }
}
