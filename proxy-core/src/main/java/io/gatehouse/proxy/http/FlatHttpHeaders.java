package io.gatehouse.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.DefaultHeaders.NameValidator;
import io.netty.handler.codec.DefaultHeaders.ValueValidator;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.Date;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Function;

/**
 * The header fields of one decoded HTTP/1.1 message, in two arrays in arrival order. A message carries a dozen
 * fields and each is looked up a few times, so a linear scan is as quick as a hash; Netty's
 * {@code DefaultHttpHeaders} instead makes a bucket array and one entry object per field, 40% of what the
 * forwarding path allocated per request. Names and values are validated on the way in, as Netty's are.
 *
 * <p>Not thread-safe, like every message object: it lives on one event loop.
 */
public final class FlatHttpHeaders extends HttpHeaders {

    /** For the decoders' configuration: validated as Netty validates a message's header fields. */
    public static final HttpHeadersFactory FACTORY = new Factory(DefaultHttpHeadersFactory.headersFactory());

    /**
     * The same for trailers, which also refuse the fields that frame a message. A decoder makes trailers for every
     * message with a body, nearly always to stay empty, so they take room only once a field arrives.
     */
    public static final HttpHeadersFactory TRAILERS_FACTORY = new Factory(DefaultHttpHeadersFactory.trailersFactory());

    /** Room for a typical request or response with the forwarding fields added, before the arrays must grow. */
    private static final int FIRST_CAPACITY = 16;
    /** The most room that clearing keeps. */
    private static final int KEPT_CAPACITY = 2 * FIRST_CAPACITY;

    private static final CharSequence[] NONE = new CharSequence[0];
    private static final short COLON_SPACE = (':' << 8) | ' ';
    private static final short CRLF = ('\r' << 8) | '\n';

    private final NameValidator<CharSequence> nameValidator;
    private final ValueValidator<CharSequence> valueValidator;
    private CharSequence[] names = NONE;
    private CharSequence[] values = NONE;
    private int size;

    /** Validated as a message's header fields. */
    public FlatHttpHeaders() {
        this(DefaultHttpHeadersFactory.headersFactory());
    }

    private FlatHttpHeaders(DefaultHttpHeadersFactory validation) {
        this(validation.getNameValidator(), validation.getValueValidator());
    }

    private FlatHttpHeaders(NameValidator<CharSequence> nameValidator, ValueValidator<CharSequence> valueValidator) {
        this.nameValidator = nameValidator;
        this.valueValidator = valueValidator;
    }

    // ---- reading ----

    @Override
    public String get(String name) {
        return get((CharSequence) name);
    }

    @Override
    public String get(CharSequence name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : values[i].toString();
    }

    @Override
    public Integer getInt(CharSequence name) {
        return parsed(name, Integer::valueOf);
    }

    @Override
    public int getInt(CharSequence name, int defaultValue) {
        return orElse(getInt(name), defaultValue);
    }

    @Override
    public Short getShort(CharSequence name) {
        return parsed(name, Short::valueOf);
    }

    @Override
    public short getShort(CharSequence name, short defaultValue) {
        return orElse(getShort(name), defaultValue);
    }

    @Override
    public Long getTimeMillis(CharSequence name) {
        return parsed(name, value -> {
            Date date = DateFormatter.parseHttpDate(value);
            return date == null ? null : date.getTime();
        });
    }

    @Override
    public long getTimeMillis(CharSequence name, long defaultValue) {
        return orElse(getTimeMillis(name), defaultValue);
    }

    /** The first value read by {@code parse}; null when absent or unreadable, as Netty's headers answer. */
    private <T> T parsed(CharSequence name, Function<String, T> parse) {
        String value = get(name);
        try {
            return value == null ? null : parse.apply(value);
        } catch (NumberFormatException unreadable) {
            return null;
        }
    }

    private static <T> T orElse(T value, T defaultValue) {
        return value == null ? defaultValue : value;
    }

    @Override
    public List<String> getAll(String name) {
        return getAll((CharSequence) name);
    }

    /** Read-only, unlike Netty's: nothing here or in the codecs changes the list it gets. */
    @Override
    public List<String> getAll(CharSequence name) {
        int first = indexOf(name, 0);
        if (first < 0) {
            return List.of();
        }
        int second = indexOf(name, first + 1);
        if (second < 0) {
            // The decoder asks every message with a body for its Content-Length fields; there is one.
            return List.of(values[first].toString());
        }
        List<String> all = new ArrayList<>(4);
        for (int i = first; i >= 0; i = indexOf(name, i + 1)) {
            all.add(values[i].toString());
        }
        return List.copyOf(all);
    }

    @Override
    public List<Map.Entry<String, String>> entries() {
        List<Map.Entry<String, String>> entries = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            entries.add(new AbstractMap.SimpleImmutableEntry<>(names[i].toString(), values[i].toString()));
        }
        return entries;
    }

    @Override
    public boolean contains(String name) {
        return contains((CharSequence) name);
    }

    @Override
    public boolean contains(CharSequence name) {
        return indexOf(name, 0) >= 0;
    }

    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        return entries().iterator();
    }

    /**
     * For what walks every field, such as the h2 conversion (the HTTP/1.1 encoders use {@link #writeLines} instead):
     * one object per walk, which is also the entry it yields.
     */
    @Override
    public Iterator<Map.Entry<CharSequence, CharSequence>> iteratorCharSequence() {
        return new FieldWalk();
    }

    @Override
    public Iterator<String> valueStringIterator(CharSequence name) {
        Iterator<? extends CharSequence> values = valueCharSequenceIterator(name);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return values.hasNext();
            }

            @Override
            public String next() {
                return values.next().toString();
            }
        };
    }

    @Override
    public Iterator<? extends CharSequence> valueCharSequenceIterator(CharSequence name) {
        return new ValueWalk(name);
    }

    /**
     * As Netty's: whether any field called {@code name} lists {@code value} among its comma-separated elements. The
     * codecs ask this of every message (chunked? keep-alive?), so it compares in place and allocates nothing.
     */
    @Override
    public boolean containsValue(CharSequence name, CharSequence value, boolean ignoreCase) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            CharSequence field = values[i];
            int start = 0;
            while (start <= field.length()) {
                int comma = AsciiString.indexOf(field, ',', start);
                int end = comma < 0 ? field.length() : comma;
                int from = start;
                int to = end;
                // Trimmed as Netty trims: anything up to and including the space.
                while (from < to && field.charAt(from) <= ' ') {
                    from++;
                }
                while (to > from && field.charAt(to - 1) <= ' ') {
                    to--;
                }
                if (to - from == value.length() && AsciiString.regionMatches(field, ignoreCase, from, value, 0, value.length())) {
                    return true;
                }
                start = end + 1;
            }
        }
        return false;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public int size() {
        return size;
    }

    /** As Netty's: distinct as spelled, so "Connection" and "CONNECTION" are two names. */
    @Override
    public Set<String> names() {
        Set<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < size; i++) {
            distinct.add(names[i].toString());
        }
        return distinct;
    }

    // ---- writing ----

    @Override
    public HttpHeaders add(String name, Object value) {
        return add((CharSequence) name, value);
    }

    @Override
    public HttpHeaders add(CharSequence name, Object value) {
        nameValidator.validateName(name);
        CharSequence text = text(value);
        valueValidator.validate(text);
        append(name, text);
        return this;
    }

    /**
     * Adds a head's field the plain reading has already checked: a token for a name, and a value of visible ASCII,
     * spaces and tabs. Both pass every check {@link #add(CharSequence, Object)} makes on a head's fields, which need
     * not scan them again. Not for trailers, whose checks also refuse the framing fields.
     */
    void addChecked(AsciiString name, AsciiString value) {
        append(name, value);
    }

    private void append(CharSequence name, CharSequence value) {
        if (size == names.length) {
            int capacity = Math.max(FIRST_CAPACITY, size * 2);
            names = Arrays.copyOf(names, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        names[size] = name;
        values[size] = value;
        size++;
    }

    @Override
    public HttpHeaders add(String name, Iterable<?> values) {
        return add((CharSequence) name, values);
    }

    @Override
    public HttpHeaders add(CharSequence name, Iterable<?> values) {
        for (Object value : values) {
            add(name, value);
        }
        return this;
    }

    @Override
    public HttpHeaders addInt(CharSequence name, int value) {
        return add(name, Integer.toString(value));
    }

    @Override
    public HttpHeaders addShort(CharSequence name, short value) {
        return add(name, Short.toString(value));
    }

    @Override
    public HttpHeaders set(String name, Object value) {
        return set((CharSequence) name, value);
    }

    @Override
    public HttpHeaders set(CharSequence name, Object value) {
        remove(name);
        return add(name, value);
    }

    @Override
    public HttpHeaders set(String name, Iterable<?> values) {
        return set((CharSequence) name, values);
    }

    @Override
    public HttpHeaders set(CharSequence name, Iterable<?> values) {
        remove(name);
        return add(name, values);
    }

    @Override
    public HttpHeaders setInt(CharSequence name, int value) {
        return set(name, Integer.toString(value));
    }

    @Override
    public HttpHeaders setShort(CharSequence name, short value) {
        return set(name, Short.toString(value));
    }

    @Override
    public HttpHeaders remove(String name) {
        return remove((CharSequence) name);
    }

    /**
     * Keeps the order of the fields that stay: a backend sees them as the client sent them. Most removals (the
     * hop-by-hop and forwarding names) find nothing, and then nothing moves.
     */
    @Override
    public HttpHeaders remove(CharSequence name) {
        int first = indexOf(name, 0);
        if (first < 0) {
            return this;
        }
        int kept = first;
        for (int i = first; i < size; i++) {
            if (!named(i, name)) {
                names[kept] = names[i];
                values[kept] = values[i];
                kept++;
            }
        }
        Arrays.fill(names, kept, size, null);
        Arrays.fill(values, kept, size, null);
        size = kept;
        return this;
    }

    @Override
    public HttpHeaders clear() {
        if (names.length > KEPT_CAPACITY) {
            // Reused heads are cleared for their next message: one message with many fields leaves no large arrays.
            names = NONE;
            values = NONE;
        } else {
            Arrays.fill(names, 0, size, null);
            Arrays.fill(values, 0, size, null);
        }
        size = 0;
        return this;
    }

    @Override
    public HttpHeaders copy() {
        FlatHttpHeaders copy = new FlatHttpHeaders(nameValidator, valueValidator);
        copy.names = Arrays.copyOf(names, names.length);
        copy.values = Arrays.copyOf(values, values.length);
        copy.size = size;
        return copy;
    }

    private int indexOf(CharSequence name, int from) {
        for (int i = from; i < size; i++) {
            if (named(i, name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Whether field {@code i} is called {@code name}. A message is asked some fifty times per exchange for names it
     * mostly lacks, so the length is compared first, in place.
     */
    private boolean named(int i, CharSequence name) {
        CharSequence candidate = names[i];
        return candidate.length() == name.length() && AsciiString.contentEqualsIgnoreCase(candidate, name);
    }

    // ---- as HTTP/1.1 field lines ----

    /**
     * Writes {@code headers} as HTTP/1.1 field lines into {@code buf}, byte for byte as Netty's encoders write them,
     * for an encoder's {@code encodeHeaders}: walking the arrays makes no iterator per message, which the JIT does
     * not always remove. Returns false, writing nothing, for other headers: those are the encoder's own to write.
     */
    public static boolean writeLines(HttpHeaders headers, ByteBuf buf) {
        if (!(headers instanceof FlatHttpHeaders flat)) {
            return false;
        }
        for (int i = 0; i < flat.size; i++) {
            CharSequence name = flat.names[i];
            CharSequence value = flat.values[i];
            buf.ensureWritable(name.length() + value.length() + 4);
            writeAscii(name, buf);
            buf.writeShort(COLON_SPACE);
            writeAscii(value, buf);
            buf.writeShort(CRLF);
        }
        return true;
    }

    private static void writeAscii(CharSequence text, ByteBuf buf) {
        if (text instanceof AsciiString ascii) {
            buf.writeBytes(ascii.array(), ascii.arrayOffset(), ascii.length());
        } else {
            buf.writeCharSequence(text, StandardCharsets.US_ASCII);
        }
    }

    /** As Netty's headers convert values: dates in the HTTP format, anything else as its text. */
    private static CharSequence text(Object value) {
        if (value instanceof CharSequence chars) {
            return chars;
        }
        if (value instanceof Date date) {
            return DateFormatter.format(date);
        }
        if (value instanceof Calendar calendar) {
            return DateFormatter.format(calendar.getTime());
        }
        if (value == null) {
            throw new NullPointerException("value");
        }
        return value.toString();
    }

    private final class FieldWalk implements Iterator<Map.Entry<CharSequence, CharSequence>>, Map.Entry<CharSequence, CharSequence> {
        private int next;

        @Override
        public boolean hasNext() {
            return next < size;
        }

        @Override
        public Map.Entry<CharSequence, CharSequence> next() {
            if (next >= size) {
                throw new NoSuchElementException();
            }
            next++;
            return this;
        }

        @Override
        public CharSequence getKey() {
            return names[next - 1];
        }

        @Override
        public CharSequence getValue() {
            return values[next - 1];
        }

        @Override
        public CharSequence setValue(CharSequence value) {
            throw new UnsupportedOperationException("read-only walk");
        }
    }

    private final class ValueWalk implements Iterator<CharSequence> {
        private final CharSequence name;
        private int next;

        ValueWalk(CharSequence name) {
            this.name = name;
            this.next = indexOf(name, 0);
        }

        @Override
        public boolean hasNext() {
            return next >= 0;
        }

        @Override
        public CharSequence next() {
            if (next < 0) {
                throw new NoSuchElementException();
            }
            CharSequence value = values[next];
            next = indexOf(name, next + 1);
            return value;
        }
    }

    private record Factory(DefaultHttpHeadersFactory validation) implements HttpHeadersFactory {
        @Override
        public HttpHeaders newHeaders() {
            return new FlatHttpHeaders(validation);
        }

        @Override
        public HttpHeaders newEmptyHeaders() {
            return new FlatHttpHeaders(validation);
        }
    }
}
