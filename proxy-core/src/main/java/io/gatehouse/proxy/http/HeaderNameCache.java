package io.gatehouse.proxy.http;

import io.netty.util.AsciiString;
import java.util.Arrays;

/**
 * The header names one connection has carried, kept for its next messages. A backend sends the same dozen names
 * in every response, and Netty's response decoder knows none of them: it made a new name for each field, a
 * quarter of what forwarding a response allocated. A client repeats its names too, and Netty's request decoder
 * knows five. Bounded, so a peer that invents names costs no more than Netty's decoder did. Names stay as
 * spelled: the next hop sees the sender's spelling.
 */
final class HeaderNameCache {

    private static final int MAX_NAME_LENGTH = 64;

    private final int slotCount;
    /** Made at the first message: a connection that never carries one keeps no table. */
    private AsciiString[] slots;
    private int size;

    /** @param slotCount a power of two; half as many names are kept, so a lookup probes a few slots, found or not */
    HeaderNameCache(int slotCount) {
        if (Integer.bitCount(slotCount) != 1) {
            throw new IllegalArgumentException("slot count must be a power of two: " + slotCount);
        }
        this.slotCount = slotCount;
    }

    /** The name in {@code bytes}, the kept one when it was seen before. */
    AsciiString name(byte[] bytes, int start, int length) {
        if (length > MAX_NAME_LENGTH) {
            return new AsciiString(bytes, start, length, true);
        }
        if (slots == null) {
            slots = new AsciiString[slotCount];
        }
        int hash = 0;
        for (int i = start; i < start + length; i++) {
            hash = 31 * hash + bytes[i];
        }
        for (int probe = 0; probe < slotCount; probe++) {
            int slot = (hash + probe) & (slotCount - 1);
            AsciiString kept = slots[slot];
            if (kept == null) {
                AsciiString made = new AsciiString(bytes, start, length, true);
                if (size < slotCount / 2) {
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
