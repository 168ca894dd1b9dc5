package io.dualsync.transform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.IOException;
import java.util.LinkedHashMap;

/**
 * {@link Link}s in the links store and its changelog topic, as small JSON documents
 * ({@code {"key":{"no":"C-1001"},"hash":"..."}}, plus {@code "coupled"} for a bidirectional map and
 * {@code "out":true} for a row out of scope) so the changelog stays readable and new fields can be
 * added later.
 */
final class LinkSerde implements Serde<Link> {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The stored form; field names are part of the changelog format. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record Stored(LinkedHashMap<String, String> key, String hash, String coupled, Boolean out) {
    }

    @Override
    public Serializer<Link> serializer() {
        return (topic, link) -> {
            if (link == null) {
                return null;
            }
            try {
                return JSON.writeValueAsBytes(new Stored(new LinkedHashMap<>(link.targetKey()), link.imageHash(), link.coupledKey(),
                        link.outOfScope() ? Boolean.TRUE : null));
            } catch (JsonProcessingException e) {
                throw new SerializationException("could not write a link", e);
            }
        };
    }

    @Override
    public Deserializer<Link> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                Stored stored = JSON.readValue(bytes, Stored.class);
                // "out" is absent from links written in scope, and from every link written before it existed
                return new Link(stored.key(), stored.hash(), stored.coupled(), Boolean.TRUE.equals(stored.out()));
            } catch (IOException e) {
                throw new SerializationException("could not read a link from " + topic, e);
            }
        };
    }
}
