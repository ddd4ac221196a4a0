package io.lodestone.doc;

/**
 * Checks that strings are well-formed Unicode. A Java string may hold an unpaired UTF-16 surrogate, which has no
 * UTF-8 form: encoding would silently replace it with {@code '?'}, so such values are refused instead.
 */
public final class Unicode {

    private Unicode() {
    }

    /** The index of the first unpaired surrogate in {@code s}, or -1 when {@code s} is well-formed. */
    public static int unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!Character.isSurrogate(c)) continue;
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            return i;
        }
        return -1;
    }

    /** Whether {@code s} is well-formed (holds no unpaired surrogate). */
    public static boolean isWellFormed(String s) {
        return unpairedSurrogate(s) < 0;
    }

    /**
     * The error for {@code s}, which is not well-formed; {@code what} names the value (e.g. "document id" and
     * {@link #shown}). Built only on failure, so checking many values costs no message building.
     */
    public static InvalidInputException notWellFormed(String what, String s) {
        int i = unpairedSurrogate(s);
        return new InvalidInputException(what + " is not valid Unicode: unpaired UTF-16 surrogate "
                + escape(s.charAt(i)) + " at index " + i + "; strings are stored as UTF-8 and never altered");
    }

    /** The number of bytes of {@code s} in UTF-8, without encoding it (an unpaired surrogate counts 3). */
    public static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** {@code s} quoted for an error message: at most 64 chars, unpaired surrogates written as <code>&#92;uXXXX</code>. */
    public static String shown(String s) {
        String cut = abbreviated(s, 64);
        StringBuilder sb = new StringBuilder(cut.length() + 8).append('"');
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < cut.length()
                    && Character.isLowSurrogate(cut.charAt(i + 1))
                    || Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(cut.charAt(i - 1));
            if (Character.isSurrogate(c) && !paired) sb.append(escape(c)); else sb.append(c);
        }
        return sb.append('"').toString();
    }

    /** {@code s} cut to at most {@code max} chars (ending in "...") so that error messages stay short. */
    public static String abbreviated(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static String escape(char c) {
        return String.format(java.util.Locale.ROOT, "\\u%04X", (int) c);
    }
}
