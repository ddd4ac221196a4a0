package io.lodestone.filter;

import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestGlobPattern {

    static boolean glob(String pattern, String s) {
        return GlobPattern.compile(pattern, false).matches(s);
    }

    @Test
    void syntax() {
        assertThat(glob("*", "")).isTrue();
        assertThat(glob("*", "a/b\nc")).isTrue();
        assertThat(glob("**.js", "src/app/main.js")).isTrue();
        assertThat(glob("/vendor/**", "/vendor/x/y")).isTrue();
        assertThat(glob("a?c", "abc")).isTrue();
        assertThat(glob("a?c", "ac")).isFalse();
        assertThat(glob("a?c", "a😀c")).isTrue(); // ? is one code point
        assertThat(glob("[abc]x", "bx")).isTrue();
        assertThat(glob("[abc]x", "dx")).isFalse();
        assertThat(glob("[a-c]", "b")).isTrue();
        assertThat(glob("[!a-c]", "b")).isFalse();
        assertThat(glob("[^a-c]", "d")).isTrue();
        assertThat(glob("[]a]", "]")).isTrue();
        assertThat(glob("[!]]", "]")).isFalse();
        assertThat(glob("[a-]", "-")).isTrue();
        assertThat(glob("[.^&&$]", "&")).isTrue();
        assertThat(glob("[😀é]", "😀")).isTrue();
        assertThat(glob("{foo,ba?}.txt", "bar.txt")).isTrue();
        assertThat(glob("{foo,ba?}.txt", "baz.md")).isFalse();
        assertThat(glob("a,b", "a,b")).isTrue();
        assertThat(glob("\\*\\?\\[", "*?[")).isTrue();
        assertThat(glob("\\*", "x")).isFalse();
        assertThat(glob("$(a).+|^", "$(a).+|^")).isTrue();
        assertThat(glob("\\d", "d")).isTrue();
        assertThat(glob("abc", "ABC")).isFalse();
        assertThat(GlobPattern.compile("abc*", true).matches("ABCD")).isTrue();
        assertThat(GlobPattern.compile("é*", true).matches("Éclair")).isTrue();
    }

    @Test
    void errors() {
        assertThatThrownBy(() -> GlobPattern.compile("a[b", false)).hasMessage("unclosed '[' at index 1");
        assertThatThrownBy(() -> GlobPattern.compile("{a,{b}}", false)).hasMessage("nested '{' at index 3");
        assertThatThrownBy(() -> GlobPattern.compile("a}", false)).hasMessage("unmatched '}' at index 1");
    }

    @Test
    @ExtendWith(Seeded.class)
    void escapedPrefixMatchesExactlyTheStringsWithThatPrefix(Random random) {
        String alphabet = "ab*?[]{},\\!^-/é😀";
        for (int n = 0; n < Seeded.atLeast(random, 2000); n++) {
            String prefix = randomString(random, alphabet, 4);
            String s = random.nextInt(3) == 0 ? prefix + randomString(random, alphabet, 3)
                    : randomString(random, alphabet, 6);
            GlobPattern g = GlobPattern.compile(GlobPattern.escape(prefix) + "*", false);
            assertThat(g.matches(s)).as("%s STARTSWITH %s", s, prefix).isEqualTo(s.startsWith(prefix));
            assertThat(GlobPattern.compile(GlobPattern.escape(s), false).matches(s)).isTrue();
        }
    }

    static String randomString(Random random, String alphabet, int maxCodePoints) {
        int[] cps = alphabet.codePoints().toArray();
        StringBuilder sb = new StringBuilder();
        int len = random.nextInt(maxCodePoints + 1);
        for (int i = 0; i < len; i++) sb.appendCodePoint(cps[random.nextInt(cps.length)]);
        return sb.toString();
    }
}
