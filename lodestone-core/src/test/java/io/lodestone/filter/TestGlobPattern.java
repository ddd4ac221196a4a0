package io.lodestone.filter;

import io.lodestone.testing.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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
        assertThatThrownBy(() -> GlobPattern.compile("x[z-a]", false)).hasMessage("invalid range 'z-a' at index 2");
        assertThatThrownBy(() -> GlobPattern.compile("a\uD800b", false))
                .hasMessage("unpaired UTF-16 surrogate at index 1");
    }

    /** Backtracking matchers take ~4^stars steps here; an automaton answers at once (generous liveness bound). */
    @Test
    void catastrophicGlobFinishesPromptly() {
        String glob = "*a".repeat(30) + "*b";
        String s = "a".repeat(41);
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThat(GlobPattern.compile(glob, false).matches(s)).isFalse();
            assertThat(GlobPattern.compile(glob, true).matches(s.repeat(100) + "B")).isTrue();
        });
    }

    /**
     * Random globs built from known pieces (so the expected meaning is known without parsing the text), matched
     * against random strings by compiled pattern and by a simple dynamic-programming reference.
     */
    @Test
    @ExtendWith(Seeded.class)
    void randomGlobsAgreeWithReferenceMatcher(Random random) {
        String alphabet = "ab-]*?\\é😀";
        for (int n = 0; n < Seeded.atLeast(random, 1000); n++) {
            RandomGlob g = RandomGlob.random(random, alphabet);
            GlobPattern compiled = GlobPattern.compile(g.text(), false);
            for (int k = 0; k < 20; k++) {
                String s = randomString(random, alphabet, 8);
                assertThat(compiled.matches(s)).as("glob %s on %s", g.text(), s).isEqualTo(g.matches(s));
            }
        }
    }

    /** A glob as a list of pieces, each a predicate on one code point or a star, with the glob text it renders to. */
    private record RandomGlob(String text, List<Piece> pieces) {

        sealed interface Piece permits Star, One {
        }

        record Star() implements Piece {
        }

        /** One code point: any ({@code ?}), a literal, or a class of literals and ranges, maybe negated. */
        record One(java.util.function.IntPredicate accepts) implements Piece {
        }

        static RandomGlob random(Random random, String alphabet) {
            int[] cps = alphabet.codePoints().toArray();
            StringBuilder text = new StringBuilder();
            List<Piece> pieces = new ArrayList<>();
            int len = random.nextInt(7);
            for (int i = 0; i < len; i++) {
                switch (random.nextInt(4)) {
                    case 0 -> {
                        text.append('*');
                        pieces.add(new Star());
                    }
                    case 1 -> {
                        text.append('?');
                        pieces.add(new One(c -> true));
                    }
                    case 2 -> {
                        int c = cps[random.nextInt(cps.length)];
                        text.append(GlobPattern.escape(Character.toString(c)));
                        pieces.add(new One(x -> x == c));
                    }
                    default -> pieces.add(randomClass(random, cps, text));
                }
            }
            return new RandomGlob(text.toString(), pieces);
        }

        /** {@code [...]} of single code points and ranges; '-' and ']' only where they are literal. */
        private static One randomClass(Random random, int[] cps, StringBuilder text) {
            boolean negated = random.nextBoolean();
            text.append(negated ? (random.nextBoolean() ? "[!" : "[^") : "[");
            List<int[]> ranges = new ArrayList<>();
            int items = 1 + random.nextInt(3);
            for (int i = 0; i < items; i++) {
                int lo = cps[random.nextInt(cps.length)];
                if (lo == ']' && i > 0 || lo == '-') lo = 'a';
                int hi = lo;
                if (random.nextInt(3) == 0) {
                    hi = cps[random.nextInt(cps.length)];
                    if (hi < lo || hi == ']' || hi == '-') hi = lo;
                }
                text.appendCodePoint(lo);
                if (hi != lo) text.append('-').appendCodePoint(hi);
                ranges.add(new int[] {lo, hi});
            }
            if (random.nextBoolean()) {
                text.append('-'); // a trailing '-' is literal
                ranges.add(new int[] {'-', '-'});
            }
            text.append(']');
            return new One(c -> ranges.stream().anyMatch(r -> c >= r[0] && c <= r[1]) != negated);
        }

        boolean matches(String s) {
            int[] cps = s.codePoints().toArray();
            // can[i][j]: pieces from i on match code points from j on
            boolean[][] can = new boolean[pieces.size() + 1][cps.length + 1];
            can[pieces.size()][cps.length] = true;
            for (int i = pieces.size() - 1; i >= 0; i--) {
                for (int j = cps.length; j >= 0; j--) {
                    can[i][j] = switch (pieces.get(i)) {
                        case Star st -> can[i + 1][j] || j < cps.length && can[i][j + 1];
                        case One one -> j < cps.length && one.accepts().test(cps[j]) && can[i + 1][j + 1];
                    };
                }
            }
            return can[0][0];
        }
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
