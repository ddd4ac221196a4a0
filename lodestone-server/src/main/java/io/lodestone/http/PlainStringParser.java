package io.lodestone.http;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import com.fasterxml.jackson.core.sym.ByteQuadsCanonicalizer;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Jackson's UTF-8 parser, plus two things: a string value whose bytes are its text as they stand (printable
 * ASCII, no escapes) can be handed over as those bytes, straight from the input buffer, instead of being
 * decoded into characters first. A base64 vector of 768 floats is 4,096 such bytes; reading it as bytes
 * skips a per-character copy into Jackson's text buffer and another back into bytes for the decoder. And an
 * array of numbers can be handed over as its bytes in the same way ({@link #readNumberArray}).
 *
 * <p>Any other string (an escape, a control character, a byte of a multi-byte character, a string longer than
 * the input buffer or the parser's string limit) is left to Jackson untouched, so its errors and limits are
 * Jackson's as before. {@link VectorJsonFactory} creates this parser for every UTF-8 request body.
 */
public final class PlainStringParser extends UTF8StreamJsonParser {
    /** Reads the bytes of a plain string: {@code length} bytes of {@code buffer} from {@code offset}. */
    @FunctionalInterface
    public interface BytesReader<T> {
        T read(byte[] buffer, int offset, int length);
    }

    PlainStringParser(IOContext ctxt, int features, InputStream in, ObjectCodec codec, ByteQuadsCanonicalizer symbols,
                      byte[] buffer, int start, int end, boolean bufferRecyclable) {
        super(ctxt, features, in, codec, symbols, buffer, start, end, bufferRecyclable);
    }

    /**
     * When the current token is a string value not read yet and plain (printable ASCII without escapes), gives
     * its bytes to {@code reader}, moves past the string and returns what {@code reader} returned; otherwise
     * returns null and leaves the token for the usual accessors ({@code getText}, {@code getTextCharacters}).
     * The bytes are valid only during the call.
     */
    public <T> T readPlainString(BytesReader<T> reader) throws IOException {
        if (_currToken != JsonToken.VALUE_STRING || !_tokenIncomplete) return null;
        int end = closingQuote();
        if (end < 0) return null;
        int start = _inputPtr;
        T result = reader.read(_inputBuffer, start, end - start);
        _inputPtr = end + 1;
        _tokenIncomplete = false;
        return result;
    }

    /** Reads the bytes between the brackets of an array of numbers. */
    @FunctionalInterface
    public interface NumberArrayReader<T> {
        /** The value of the array, or null to leave it to the token-by-token reading, with nothing consumed. */
        T read(byte[] buffer, int offset, int length);
    }

    /**
     * When the current token opens an array whose closing bracket is in the input buffer (topped up if need be),
     * gives the bytes between the brackets to {@code reader}. When that returns a value, the parser moves past
     * the closing bracket exactly as token-by-token reading would (current token END_ARRAY, the array's scope
     * closed, lines counted for later locations) and the value is returned; otherwise returns null with nothing
     * consumed. The first closing bracket may belong to a nested array or a string: {@code reader} must accept
     * only a list of what Jackson reads as numbers (JSON's grammar, shorter than Jackson's number limit),
     * separated by commas, with spaces, tabs or line feeds around them. The bytes are valid only during the
     * call. A 768-float vector is some 9,000 bytes, parsed this way in one pass instead of a token, a text
     * buffer copy and a location update per number.
     */
    public <T> T readNumberArray(NumberArrayReader<T> reader) throws IOException {
        if (_currToken != JsonToken.START_ARRAY || _streamReadConstraints.getMaxTokenCount() > 0) return null;
        int end = closingBracket();
        if (end < 0) return null;
        int start = _inputPtr;
        T result = reader.read(_inputBuffer, start, end - start);
        if (result == null) return null;
        for (int i = indexOf(_inputBuffer, start, end, LINE_FEEDS); i < end; i = indexOf(_inputBuffer, i + 1, end, LINE_FEEDS)) {
            _currInputRow++;
            _currInputRowStart = i + 1;
        }
        _inputPtr = end + 1;
        _tokenInputRow = _currInputRow; // END_ARRAY's location as Jackson records it, just past the bracket
        _tokenInputTotal = _currInputProcessed + _inputPtr;
        _tokenInputCol = _inputPtr - _currInputRowStart;
        _parsingContext = _parsingContext.clearAndGetParent();
        _numTypesValid = NR_UNKNOWN;
        _updateToken(JsonToken.END_ARRAY);
        return result;
    }

    /** The index of the first closing bracket from the current position, topping the buffer up; -1 when it does not fit. */
    private int closingBracket() throws IOException {
        int ptr = _inputPtr;
        while (true) {
            int at = indexOf(_inputBuffer, ptr, _inputEnd, BRACKETS);
            if (at < _inputEnd) return at;
            int scanned = at - _inputPtr;
            if (!topUp()) return -1;
            ptr = _inputPtr + scanned;
        }
    }

    /** The first index in {@code [from, end)} of the byte {@code pattern} repeats (eight bytes a step), or {@code end}. */
    private static int indexOf(byte[] buf, int from, int end, long pattern) {
        int ptr = from;
        for (; ptr + Long.BYTES <= end; ptr += Long.BYTES) {
            long found = hasZeroByte((long) WORD.get(buf, ptr) ^ pattern) & HIGH_BITS;
            if (found != 0) return ptr + Long.numberOfTrailingZeros(found) / Byte.SIZE;
        }
        byte b = (byte) pattern;
        for (; ptr < end; ptr++) {
            if (buf[ptr] == b) return ptr;
        }
        return end;
    }

    /**
     * The index of the string's closing quote, with the whole string in the buffer (moved to the buffer's start
     * and topped up from the stream if it runs past the end); -1 when the string is not plain or does not fit.
     */
    private int closingQuote() throws IOException {
        int maxLength = _streamReadConstraints.getMaxStringLength();
        int ptr = _inputPtr;
        while (true) {
            byte[] buf = _inputBuffer;
            int end = _inputEnd;
            for (; ptr < end; ptr++) {
                ptr = skipPlainWords(buf, ptr, end);
                if (ptr == end) break;
                byte b = buf[ptr];
                if (b == '"') return ptr - _inputPtr > maxLength ? -1 : ptr;
                if (b < 0x20 || b == '\\') return -1; // negative: a byte of a multi-byte UTF-8 character
            }
            if (ptr - _inputPtr > maxLength) return -1;
            int scanned = ptr - _inputPtr;
            if (!topUp()) return -1;
            ptr = _inputPtr + scanned;
        }
    }

    /**
     * The first position from {@code ptr} that starts an 8-byte word holding a byte other than plain string
     * text (a quote, a backslash, a control character or a byte of 0x80 or more), or the last position before
     * {@code end} where a whole word no longer fits. Eight bytes per step: a scan byte by byte costs more than
     * decoding the base64 it finds.
     */
    private static int skipPlainWords(byte[] buf, int ptr, int end) {
        for (; ptr + Long.BYTES <= end; ptr += Long.BYTES) {
            long w = (long) WORD.get(buf, ptr);
            if (((hasZeroByte(w ^ QUOTES) | hasZeroByte(w ^ BACKSLASHES) | hasByteBelowSpace(w) | w) & HIGH_BITS) != 0) return ptr;
        }
        return ptr;
    }

    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final long QUOTES = ONES * '"';
    private static final long BACKSLASHES = ONES * '\\';
    private static final long BRACKETS = ONES * ']';
    private static final long LINE_FEEDS = ONES * '\n';

    /** High bit set in some byte iff {@code w} has a zero byte (the classic test; exact about whether one exists). */
    private static long hasZeroByte(long w) {
        return (w - ONES) & ~w;
    }

    /** High bit set in some byte iff {@code w} has a byte below 0x20, among bytes below 0x80. */
    private static long hasByteBelowSpace(long w) {
        return (w - ONES * 0x20) & ~w;
    }

    /**
     * Moves the unread bytes to the buffer's start and reads more after them, keeping every position Jackson
     * tracks (bytes processed, row start, name start) as if it had loaded the buffer itself. False when the
     * stream is at its end, there is no stream (an array input), or the buffer is already full of unread bytes.
     */
    private boolean topUp() throws IOException {
        if (_inputStream == null) return false;
        int shift = _inputPtr;
        int unread = _inputEnd - shift;
        if (unread >= _inputBuffer.length) return false;
        if (shift > 0) {
            System.arraycopy(_inputBuffer, shift, _inputBuffer, 0, unread);
            _currInputProcessed += shift;
            _currInputRowStart -= shift;
            _nameStartOffset -= shift;
            _inputPtr = 0;
            _inputEnd = unread;
            _streamReadConstraints.validateDocumentLength(_currInputProcessed);
        }
        int n = _inputStream.read(_inputBuffer, _inputEnd, _inputBuffer.length - _inputEnd);
        if (n <= 0) return false;
        _inputEnd += n;
        return true;
    }
}
