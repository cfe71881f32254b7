package io.gatehouse.sni;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuffixMapTest {

    @Test
    void findsExactlyTheSuffixAskedFor() {
        SuffixMap<String> map = new SuffixMap<>(Map.of("example.com", "a", "cloud.example.com", "b", "com", "c"));
        assertThat(map.get("x.example.com", 2)).isEqualTo("a");
        assertThat(map.get("x.cloud.example.com", 2)).isEqualTo("b");
        assertThat(map.get("x.cloud.example.com", 8)).isEqualTo("a");
        assertThat(map.get("x.cloud.example.com", 16)).isEqualTo("c");
        assertThat(map.get("x.example.org", 2)).isNull();
        assertThat(map.get("example.com", 0)).isEqualTo("a");
        assertThat(map.get("xexample.com", 0)).isNull();
    }

    @Test
    void holdsThousandsOfEntriesWithCollisions() {
        Map<String, Integer> entries = new HashMap<>();
        for (int i = 0; i < 5000; i++) {
            entries.put("cell" + i + ".example.com", i);
        }
        // "Aa" and "BB" have the same String.hashCode: probing must still tell them apart.
        entries.put("Aa.example.com", -1);
        entries.put("BB.example.com", -2);
        SuffixMap<Integer> map = new SuffixMap<>(entries);
        for (int i = 0; i < 5000; i++) {
            assertThat(map.get("host.cell" + i + ".example.com", 5)).isEqualTo(i);
        }
        assertThat(map.get("x.Aa.example.com", 2)).isEqualTo(-1);
        assertThat(map.get("x.BB.example.com", 2)).isEqualTo(-2);
        assertThat(map.get("x.cell5000.example.com", 2)).isNull();
    }

    @Test
    void anEmptyMapFindsNothing() {
        assertThat(new SuffixMap<String>(Map.of()).get("a.b", 2)).isNull();
    }
}
