package io.lodestone.store;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One S3 multipart upload of a large object: create, the parts in parallel on virtual threads (at most
 * {@value #PARTS_IN_FLIGHT} at once, each held in memory while it uploads and retried on its own),
 * complete; on any failure the upload is aborted so that no parts are left behind (a process that dies
 * mid-upload leaves them to the bucket's lifecycle rule for incomplete uploads).
 */
final class MultipartUpload {
    /** Parts uploading at once: enough to fill a link, few enough to bound memory to 4 parts. */
    static final int PARTS_IN_FLIGHT = 4;
    private static final String OCTETS = "application/octet-stream";

    /** The bytes of a part: a slice of an array. */
    private record PartBody(byte[] bytes, int offset, int length) {
    }

    /** Where parts come from: reads {@code length} bytes at {@code offset}. */
    @FunctionalInterface
    interface Source {
        PartBody read(long offset, int length) throws IOException;
    }

    private final S3Client client;
    private final S3Requests requests;
    private final String bucket;
    private final String storedKey;
    private final String key;

    MultipartUpload(S3Client client, S3Requests requests, String bucket, String storedKey, String key) {
        this.client = client;
        this.requests = requests;
        this.bucket = bucket;
        this.storedKey = storedKey;
        this.key = key;
    }

    /** Uploads {@code data}; parts are slices of it, not copies. */
    void upload(byte[] data) throws IOException {
        upload(data.length, (offset, length) -> new PartBody(data, (int) offset, length));
    }

    /** Uploads the file, reading each part when its turn comes. */
    void upload(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            upload(channel.size(), (offset, length) -> new PartBody(readFully(channel, offset, length), 0, length));
        }
    }

    private void upload(long size, Source source) throws IOException {
        String uploadId = requests.call("create multipart upload of key '" + key + "'", null,
                () -> client.createMultipartUpload(b -> b.bucket(bucket).key(storedKey)).uploadId());
        try {
            List<CompletedPart> parts = uploadParts(uploadId, size, requests.tuning().partSizeFor(size), source);
            complete(uploadId, size, parts);
        } catch (IOException | RuntimeException e) {
            try {
                requests.call("abort of multipart upload of key '" + key + "'", null, () -> {
                    try {
                        client.abortMultipartUpload(b -> b.bucket(bucket).key(storedKey).uploadId(uploadId));
                    } catch (SdkException gone) {
                        if (!S3Requests.isStatus(gone, 404)) throw gone; // already completed or aborted
                    }
                    return null;
                });
            } catch (IOException abortFailed) {
                e.addSuppressed(abortFailed);
            }
            throw e;
        }
    }

    private List<CompletedPart> uploadParts(String uploadId, long size, long partSize, Source source) throws IOException {
        int count = (int) Math.max(1, (size + partSize - 1) / partSize);
        var futures = new ArrayList<Future<CompletedPart>>(count);
        var inFlight = new Semaphore(PARTS_IN_FLIGHT);
        var failed = new AtomicBoolean();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count && !failed.get(); i++) {
                int number = i + 1;
                long offset = i * partSize;
                int length = (int) Math.min(partSize, size - offset);
                inFlight.acquire();
                futures.add(executor.submit(() -> {
                    try {
                        return uploadPart(uploadId, number, source.read(offset, length));
                    } catch (IOException | RuntimeException e) {
                        failed.set(true);
                        throw e;
                    } finally {
                        inFlight.release();
                    }
                }));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading key '" + key + "' in parts");
        }
        var parts = new ArrayList<CompletedPart>(count);
        for (Future<CompletedPart> f : futures) {
            parts.add(result(f));
        }
        return parts;
    }

    private CompletedPart uploadPart(String uploadId, int number, PartBody body) throws IOException {
        String eTag = requests.call("upload of part " + number + " of key '" + key + "'", null,
                () -> client.uploadPart(b -> b.bucket(bucket).key(storedKey).uploadId(uploadId).partNumber(number)
                                .contentLength((long) body.length()),
                        RequestBody.fromContentProvider(
                                () -> new ByteArrayInputStream(body.bytes(), body.offset(), body.length()),
                                body.length(), OCTETS)).eTag());
        return CompletedPart.builder().partNumber(number).eTag(eTag).build();
    }

    /**
     * Completes the upload. A retry after an attempt that ended without an answer may find the upload
     * gone (404 NoSuchUpload) because that attempt completed it: then the object of the full size is ours.
     */
    private void complete(String uploadId, long size, List<CompletedPart> parts) throws IOException {
        String what = "completion of multipart upload of key '" + key + "'";
        RetryLoop loop = new RetryLoop(requests.tuning());
        while (true) {
            try {
                client.completeMultipartUpload(b -> b.bucket(bucket).key(storedKey).uploadId(uploadId)
                        .multipartUpload(u -> u.parts(parts)));
                return;
            } catch (RuntimeException e) {
                if (!S3Requests.fromRequest(e)) throw e;
                if (S3Requests.isStatus(e, 404) && loop.attempts() > 1 && completedEarlier(size)) return;
                if (!S3Requests.isTransient(e)) throw requests.failure(what, null, e);
                if (!loop.retry(what)) throw requests.exhausted(what, loop, e);
            }
        }
    }

    private boolean completedEarlier(long size) throws IOException {
        try {
            long stored = requests.call("size of key '" + key + "'", key,
                    () -> client.headObject(b -> b.bucket(bucket).key(storedKey)).contentLength());
            return stored == size;
        } catch (ObjectNotFoundException absent) {
            return false;
        }
    }

    private static CompletedPart result(Future<CompletedPart> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while uploading parts");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IOException(e.getCause());
        }
    }

    /**
     * Reads into a heap array in slices of at most {@link #READ_SLICE}: the JDK copies a read into a heap buffer
     * through a temporary direct buffer of the read's size, so reading whole parts (tens of MiB) on several threads at
     * once ran a 1M × 768 upload out of direct memory.
     */
    private static byte[] readFully(FileChannel channel, long offset, int length) throws IOException {
        byte[] bytes = new byte[length];
        for (int done = 0; done < length; ) {
            int n = channel.read(ByteBuffer.wrap(bytes, done, Math.min(READ_SLICE, length - done)), offset + done);
            if (n < 0) {
                throw new IOException("file ended at " + (offset + done) + " while reading a part; it changed during upload");
            }
            done += n;
        }
        return bytes;
    }

    /** The most bytes read from the file per call. */
    static final int READ_SLICE = 1 << 20;
}
