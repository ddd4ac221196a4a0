package io.lodestone.tenancy;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Key format, parsing and digests. */
class TestApiKeys {

    @Test
    void generatedKeysParseBackAndMatchOnlyTheirOwnDigest() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ApiKeys.Generated g = ApiKeys.generate();
            assertThat(seen.add(g.key())).isTrue();
            assertThat(g.key()).hasSize(64).startsWith(ApiKeys.PREFIX + g.id() + "_");
            ApiKeys.Presented p = ApiKeys.parse(g.key()).orElseThrow();
            assertThat(p.id()).isEqualTo(g.id());
            assertThat(ApiKeys.matches(g.digest(), ApiKeys.digest(g.salt(), p.secret()))).isTrue();
            String other = p.secret().charAt(0) == 'A' ? "B" + p.secret().substring(1) : "A" + p.secret().substring(1);
            assertThat(ApiKeys.matches(g.digest(), ApiKeys.digest(g.salt(), other))).isFalse();
            assertThat(ApiKeys.matches(g.digest(), ApiKeys.digest(new byte[16], p.secret()))).as("the salt counts").isFalse();
        }
    }

    @Test
    void anythingElseDoesNotParse() {
        String good = ApiKeys.generate().key();
        assertThat(ApiKeys.parse(null)).isEmpty();
        assertThat(ApiKeys.parse("")).isEmpty();
        assertThat(ApiKeys.parse(good.substring(1))).isEmpty();
        assertThat(ApiKeys.parse(good + "x")).isEmpty();
        assertThat(ApiKeys.parse("lsk_" + "G".repeat(16) + good.substring(20))).as("ids are hex").isEmpty();
        assertThat(ApiKeys.parse(good.substring(0, 63) + "=")).isEmpty();
        assertThat(ApiKeys.parse("xsk_" + good.substring(4))).isEmpty();
    }
}
