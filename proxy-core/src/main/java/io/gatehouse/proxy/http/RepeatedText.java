package io.gatehouse.proxy.http;

import io.netty.util.AsciiString;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The text one connection has carried, kept for its next messages: header names, and on client connections the
 * values and targets a client repeats. A backend sends the same dozen names in every response, and a client the
 * same User-Agent, token and Host in every request; HPACK keeps such fields per connection for the same reason.
 * Netty's decoders made each anew. Bounded in count and bytes, so a peer that never repeats itself costs no more
 * than Netty's decoder did. Text stays as sent: the next hop sees the sender's spelling.
 */
final class RepeatedText {

    private static final VarHandle LONG_AT = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private final int slotCount;
    private final int maxLength;
    private int bytesLeft;
    /** Made at the first message: a connection that never carries one keeps no table. */
    private AsciiString[] slots;
    private int size;

    /**
     * @param slotCount a power of two; half as many texts are kept, so a lookup probes a few slots, found or not
     * @param maxLength longer texts are never kept
     * @param byteBudget the most bytes all kept texts may hold together
     */
    RepeatedText(int slotCount, int maxLength, int byteBudget) {
        if (Integer.bitCount(slotCount) != 1) {
            throw new IllegalArgumentException("slot count must be a power of two: " + slotCount);
        }
        this.slotCount = slotCount;
        this.maxLength = maxLength;
        this.bytesLeft = byteBudget;
    }

    /** The text in {@code bytes}, the kept one when it was seen before. */
    AsciiString text(byte[] bytes, int start, int length) {
        if (length > maxLength) {
            return new AsciiString(bytes, start, length, true);
        }
        if (slots == null) {
            slots = new AsciiString[slotCount];
        }
        int hash = hash(bytes, start, length);
        for (int probe = 0; probe < slotCount; probe++) {
            int slot = (hash + probe) & (slotCount - 1);
            AsciiString kept = slots[slot];
            if (kept == null) {
                AsciiString made = new AsciiString(bytes, start, length, true);
                if (size < slotCount / 2 && length <= bytesLeft) {
                    slots[slot] = made;
                    size++;
                    bytesLeft -= length;
                }
                return made;
            }
            // Kept texts were copied, so each owns its whole array from offset 0.
            if (kept.length() == length && sameBytes(kept.array(), bytes, start, length)) {
                return kept;
            }
        }
        return new AsciiString(bytes, start, length, true);
    }

    /**
     * From the length and the first and last eight bytes only: hashing every byte of every value took a pass of its
     * own over each head. Texts that differ only in between share a probe chain, and the comparison that follows
     * tells them apart; a chain is at most {@code slotCount} long, as with any hash.
     */
    private static int hash(byte[] bytes, int start, int length) {
        if (length < Long.BYTES) {
            int hash = length;
            for (int i = start; i < start + length; i++) {
                hash = 31 * hash + bytes[i];
            }
            return hash;
        }
        long mixed = ((long) LONG_AT.get(bytes, start) * GOLDEN ^ (long) LONG_AT.get(bytes, start + length - Long.BYTES) ^ length) * GOLDEN;
        // The slot comes from the low bits, and a product's best-mixed bits are its high ones.
        return (int) (mixed ^ mixed >>> 32);
    }

    /**
     * Whether {@code kept} starts with the {@code length} bytes at {@code start}, eight at a time, the last eight
     * overlapping the ones before. Most texts are 5-40 bytes, where {@code Arrays.equals}' range checks cost about
     * as much as the comparison.
     */
    private static boolean sameBytes(byte[] kept, byte[] bytes, int start, int length) {
        if (length < Long.BYTES) {
            for (int i = 0; i < length; i++) {
                if (kept[i] != bytes[start + i]) {
                    return false;
                }
            }
            return true;
        }
        int last = length - Long.BYTES;
        for (int i = 0; i < last; i += Long.BYTES) {
            if ((long) LONG_AT.get(kept, i) != (long) LONG_AT.get(bytes, start + i)) {
                return false;
            }
        }
        return (long) LONG_AT.get(kept, last) == (long) LONG_AT.get(bytes, start + last);
    }
}
