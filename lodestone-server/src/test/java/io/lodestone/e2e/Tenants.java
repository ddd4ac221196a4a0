package io.lodestone.e2e;

import static io.lodestone.e2e.Json.obj;
import static org.assertj.core.api.Assertions.assertThat;

/** Tenants made through the admin API for tests of auth and isolation. */
final class Tenants {
    private Tenants() {
    }

    /** Creates tenants {@code prefix0 .. prefix(count-1)} as {@code operator} and returns a read-write key of each. */
    static String[] readWriteKeys(Json.Http operator, String prefix, int count) {
        String[] keys = new String[count];
        for (int t = 0; t < count; t++) {
            assertThat(operator.post("/v1/admin/tenants", obj("name", prefix + t)).status()).isEqualTo(201);
            keys[t] = operator.post("/v1/admin/tenants/" + prefix + t + "/keys", obj("scope", "read_write")).json().get("key").asText();
        }
        return keys;
    }
}
