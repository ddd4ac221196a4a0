package io.lodestone.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestByteSize {

    @ParameterizedTest
    @CsvSource({
            "0, 0",
            "1048576, 1048576",
            "12B, 12",
            "512KB, 512000",
            "512kb, 512000",
            "3MB, 3000000",
            "2GB, 2000000000",
            "1TB, 1000000000000",
            "512KiB, 524288",
            "64MiB, 67108864",
            "64 mib, 67108864",
            "2GiB, 2147483648",
            "1TiB, 1099511627776",
            "1.5GiB, 1610612736",
            "0.5KB, 500",
            "1.0001KiB, 1024",
            "' 8 MiB ', 8388608",
    })
    void parsesSizes(String text, long bytes) {
        assertThat(ByteSize.parse(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "MiB", "-1", "-1MiB", "1 XB", "1M", "1K", "1.MiB", ".5MiB", "1,5MiB", "64 MiB extra"})
    void rejectsWhatIsNotASize(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a size: \"" + text + "\"");
    }

    @Test
    void rejectsSizesBeyondALong() {
        assertThatThrownBy(() -> ByteSize.parse("9000000TiB"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("size too large: \"9000000TiB\"");
    }
}
