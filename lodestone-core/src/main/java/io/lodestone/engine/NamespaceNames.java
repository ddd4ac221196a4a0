package io.lodestone.engine;

import io.lodestone.doc.InvalidInputException;

import java.util.regex.Pattern;

/** Validates namespace names: {@code [A-Za-z0-9-_.]{1,128}}, and never {@code .}, {@code ..} or anything with {@code ..}. */
public final class NamespaceNames {
    public static final int MAX_LENGTH = 128;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.-]+");

    private NamespaceNames() {
    }

    public static String validate(String name) {
        return validate(name, "namespace name");
    }

    /**
     * Checks any other name that becomes one segment of an object key by the same rules;
     * {@code what} ("tenant name") starts the messages.
     */
    public static String validate(String name, String what) {
        if (name == null || name.isEmpty()) throw new InvalidInputException(what + " must not be empty");
        if (name.length() > MAX_LENGTH) {
            throw new InvalidInputException(what + " must be at most " + MAX_LENGTH + " characters; got " + name.length());
        }
        if (!VALID.matcher(name).matches()) {
            throw new InvalidInputException(what + " '" + printable(name)
                    + "' may contain only letters, digits, '-', '_' and '.'");
        }
        if (name.equals(".") || name.contains("..")) {
            throw new InvalidInputException(what + " '" + name + "' must not be '.' or contain '..'");
        }
        return name;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.toString();
    }
}
