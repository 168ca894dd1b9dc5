package io.dualsync.apply.dlt;

import io.dualsync.contract.Headers;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Dead letters as tests need them. */
final class DeadLetterRecords {

    private DeadLetterRecords() {
    }

    static DeadLetterRecord of(int partition, long offset, String map, String errorClass, String lastFailure,
                               Map<String, String> extra) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Headers.ORIGIN, Headers.ORIGIN_APP);
        headers.put(Headers.MAP, map);
        headers.put(Headers.ERROR_CLASS, errorClass);
        headers.put(Headers.ERROR_MESSAGE, "value too long for type character varying(5) (table public.customer)");
        headers.put(Headers.SQL_STATE, "22001");
        headers.put(Headers.STAGE, "apply");
        headers.put(Headers.ATTEMPTS, "2");
        headers.put(Headers.FIRST_FAILURE, lastFailure);
        headers.put(Headers.LAST_FAILURE, lastFailure);
        headers.put(Headers.ORIGINAL_TOPIC, "dualsync.mapped." + map + ".erp");
        headers.put(Headers.ORIGINAL_PARTITION, "1");
        headers.put(Headers.ORIGINAL_OFFSET, "40");
        headers.putAll(extra);
        return new DeadLetterRecord("dualsync.dlt.erp", partition, offset, Instant.parse(lastFailure), headers,
                new byte[]{1}, new byte[]{2, 3});
    }
}
