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

    /**
     * Throws {@link InvalidInputException} when {@code s} holds an unpaired surrogate; {@code what} names the value
     * in the message (e.g. "document id", "attribute 'title'").
     */
    public static void requireWellFormed(String what, String s) {
        int i = unpairedSurrogate(s);
        if (i >= 0) {
            throw new InvalidInputException(what + " is not valid Unicode: unpaired UTF-16 surrogate \\u"
                    + Integer.toHexString(s.charAt(i)).toUpperCase(java.util.Locale.ROOT) + " at index " + i
                    + "; values are stored as UTF-8 and are never altered");
        }
    }
}
