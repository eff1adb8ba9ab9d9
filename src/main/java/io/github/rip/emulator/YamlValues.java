package io.github.rip.emulator;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

/**
 * How emulator.yaml spells values, taught to Jackson (whose YAML parser already reads {@code yes / no} booleans and
 * '_' in numbers): durations as {@code PT2S} or {@code 200ms / 2s / 5m / 1h}, enum names in any case with '-' for
 * '_', text trimmed and blank as no value, and a list as one comma-separated text. A bad value throws an
 * IllegalArgumentException naming what is accepted; {@link EmulatorConfigYaml}, which sees Jackson's path to it,
 * adds the key.
 */
final class YamlValues {

    private YamlValues() {
    }

    static SimpleModule module() {
        SimpleModule module = new SimpleModule("emulator-yaml-values");
        // blank is no value: an unset placeholder with an empty default, e.g. certificate: "{{pem:}}"
        module.addDeserializer(String.class, scalar(String.class, text -> text.isBlank() ? null : text.trim()));
        module.addDeserializer(Duration.class, scalar(Duration.class, YamlValues::parseDuration));
        module.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
                                                             BeanDescription description,
                                                             JsonDeserializer<?> deserializer) {
                return enumDeserializer(type.getRawClass());
            }
        });
        return module;
    }

    /** ISO-8601 ({@code PT2S}) or a number with a unit: {@code 200ms}, {@code 2s}, {@code 5m}, {@code 1h}. */
    static Duration parseDuration(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.equals("0")) {
                return Duration.ZERO;
            }
            if (v.startsWith("p")) {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            }
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
            }
            long amount = Long.parseLong(v.substring(0, v.length() - 1).trim());
            return switch (v.charAt(v.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                default -> throw new IllegalArgumentException();
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("must be a duration like PT2S, 200ms, 2s, 5m or 1h; got " + value);
        }
    }

    private static <E extends Enum<E>> JsonDeserializer<?> enumDeserializer(Class<?> raw) {
        @SuppressWarnings("unchecked")
        Class<E> type = (Class<E>) raw;
        return scalar(type, value -> {
            String wanted = value.trim().replace('-', '_').toUpperCase(Locale.ROOT);
            return Arrays.stream(type.getEnumConstants()).filter(c -> c.name().equals(wanted)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("must be one of "
                            + List.of(type.getEnumConstants()) + ", got " + value));
        });
    }

    /** A value parsed from one scalar's text. */
    private interface Parser<T> {
        T parse(String text);
    }

    private static <T> ScalarDeserializer<T> scalar(Class<T> type, Parser<T> parser) {
        return new ScalarDeserializer<>(type, parser);
    }

    private static final class ScalarDeserializer<T> extends StdScalarDeserializer<T> {
        private final transient Parser<T> parser;

        ScalarDeserializer(Class<T> type, Parser<T> parser) {
            super(type);
            this.parser = parser;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext context) throws IOException {
            if (!p.currentToken().isScalarValue()) {
                throw new IllegalArgumentException("must be a single value");
            }
            return parser.parse(p.getText());
        }
    }

    /** A list of names, also written as one text: {@code apps: a, b} is {@code apps: [a, b]}; blanks are dropped. */
    static final class CommaList extends JsonDeserializer<List<String>> {

        @Override
        public List<String> deserialize(JsonParser p, DeserializationContext context) throws IOException {
            List<String> items = new ArrayList<>();
            if (p.currentToken() == JsonToken.START_ARRAY) {
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    if (!t.isScalarValue()) {
                        throw new IllegalArgumentException("must be a list of names");
                    }
                    items.add(t == JsonToken.VALUE_NULL ? "" : p.getText());
                }
            } else if (p.currentToken().isScalarValue()) {
                items.addAll(List.of(p.getText().split(",")));
            } else {
                throw new IllegalArgumentException("must be a list of names");
            }
            return items.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
    }
}
