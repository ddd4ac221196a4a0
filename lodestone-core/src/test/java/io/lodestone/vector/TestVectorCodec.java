package io.lodestone.vector;

import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(Seeded.class)
class TestVectorCodec {

    @Test
    void knownEncoding() {
        // 1.0f = 0x3F800000 and -2.0f = 0xC0000000, little-endian: 00 00 80 3F 00 00 00 C0.
        assertThat(VectorCodec.encodeBase64(new float[] {1f, -2f})).isEqualTo("AACAPwAAAMA=");
        assertThat(VectorCodec.decodeBase64("AACAPwAAAMA=")).containsExactly(1f, -2f);
        assertThat(VectorCodec.decodeBase64("AACAPw==")).containsExactly(1f);
        assertThat(VectorCodec.decodeBase64("AACAPw")).as("padding is optional").containsExactly(1f);
        assertThat(VectorCodec.decodeBase64("")).isEmpty();
        assertThat(VectorCodec.encodeBase64(new float[0])).isEmpty();
    }

    @Test
    void roundTripsRandomAndSpecialValues(Random random) {
        for (int length : new int[] {0, 1, 3, 15, 17, 768, 1537, 10752}) {
            float[] v = new float[length];
            for (int i = 0; i < length; i++) {
                v[i] = Float.intBitsToFloat(random.nextInt());
            }
            assertRoundTrip(v);
        }
        assertRoundTrip(new float[] {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
                Float.MIN_VALUE, -Float.MAX_VALUE, Float.MIN_NORMAL});
    }

    private static void assertRoundTrip(float[] v) {
        float[] back = VectorCodec.decodeBase64(VectorCodec.encodeBase64(v));
        assertThat(back).hasSameSizeAs(v);
        for (int i = 0; i < v.length; i++) {
            // Compare bits, so -0.0 and NaN count too (NaN payloads may be canonicalized).
            if (!Float.isNaN(v[i])) {
                assertThat(Float.floatToRawIntBits(back[i])).as("index %d", i).isEqualTo(Float.floatToRawIntBits(v[i]));
            } else {
                assertThat(back[i]).isNaN();
            }
        }
    }

    @Test
    void lengthNotAMultipleOfFour() {
        assertThatThrownBy(() -> VectorCodec.decodeBase64("AACA"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("base64 vector decodes to 3 bytes, which is not a multiple of 4 (the size of a float32)");
        assertThatThrownBy(() -> VectorCodec.decodeBase64("AACAPwAA"))
                .hasMessage("base64 vector decodes to 6 bytes, which is not a multiple of 4 (the size of a float32)");
    }

    @Test
    void invalidBase64() {
        assertThatThrownBy(() -> VectorCodec.decodeBase64("AAC*Pw=="))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("vector is not valid base64: ");
        assertThatThrownBy(() -> VectorCodec.decodeBase64("A"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("vector is not valid base64: ");
    }
}
