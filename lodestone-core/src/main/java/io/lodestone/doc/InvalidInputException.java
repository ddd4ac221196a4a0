package io.lodestone.doc;

/**
 * Input that Lodestone refuses: a bad vector, id, attribute, filter, schema or option. The message says
 * what is wrong and is shown to the user as is (HTTP 400). Nothing has been written when it is thrown.
 */
public class InvalidInputException extends RuntimeException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
