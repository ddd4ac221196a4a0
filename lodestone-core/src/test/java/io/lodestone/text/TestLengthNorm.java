package io.lodestone.text;

import io.lodestone.testing.Seeded;
import org.apache.lucene.util.SmallFloat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(Seeded.class)
class TestLengthNorm {

    @Test
    void encodesLikeLuceneSmallFloat(Random random) {
        for (int len = 0; len < 100_000; len++) assertEncodesLikeLucene(len);
        for (int i = 0; i < 100_000; i++) assertEncodesLikeLucene(random.nextInt(Integer.MAX_VALUE));
        assertEncodesLikeLucene(Integer.MAX_VALUE);
    }

    private static void assertEncodesLikeLucene(int len) {
        int code = LengthNorm.encode(len);
        assertThat(code).as("code of %d", len).isEqualTo(SmallFloat.intToByte4(len) & 0xFF);
        assertThat(LengthNorm.decode(code)).as("length of code %d", code).isEqualTo(SmallFloat.byte4ToInt((byte) code));
    }

    @Test
    void exactUpTo39ThenRoundedDown() {
        for (int len = 0; len < 40; len++) {
            assertThat(LengthNorm.decode(LengthNorm.encode(len))).isEqualTo(len);
            assertThat(LengthNorm.isExact(LengthNorm.encode(len))).isTrue();
        }
        assertThat(LengthNorm.decode(LengthNorm.encode(59))).isEqualTo(56);
        assertThat(LengthNorm.isExact(LengthNorm.encode(59))).isFalse();
        assertThat(LengthNorm.isExact(LengthNorm.encode(40))).isFalse();
        for (int code = 1; code < 256; code++) assertThat(LengthNorm.decode(code)).isGreaterThan(LengthNorm.decode(code - 1));
    }

    @Test
    void rejectsNegativeLengths() {
        assertThatThrownBy(() -> LengthNorm.encode(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("length must be >= 0; got -1");
    }
}
