package io.gatehouse.sni;

import java.util.Map;

/**
 * An immutable open-addressing map from strings to values that can be asked about a suffix of a string without
 * cutting it out first: {@code get("a.example.com", 2)} finds the entry {@code example.com} with no allocation.
 * It serves wildcard lookups, which run once per handshake.
 */
final class SuffixMap<V> {

    private final String[] keys;
    private final Object[] values;
    private final int mask;

    SuffixMap(Map<String, V> entries) {
        int capacity = Integer.highestOneBit(Math.max(2, entries.size() * 2 - 1)) << 1;
        keys = new String[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        entries.forEach((key, value) -> {
            int slot = hash(key, 0) & mask;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            values[slot] = value;
        });
    }

    /** The value for {@code text.substring(from)}, or null. */
    @SuppressWarnings("unchecked")
    V get(String text, int from) {
        int length = text.length() - from;
        for (int slot = hash(text, from) & mask; keys[slot] != null; slot = (slot + 1) & mask) {
            String key = keys[slot];
            if (key.length() == length && text.regionMatches(from, key, 0, length)) {
                return (V) values[slot];
            }
        }
        return null;
    }

    /** String.hashCode of the suffix, mixed so that similar names spread over the table. */
    private static int hash(String text, int from) {
        int h = 0;
        for (int i = from; i < text.length(); i++) {
            h = 31 * h + text.charAt(i);
        }
        return h ^ (h >>> 16);
    }
}
