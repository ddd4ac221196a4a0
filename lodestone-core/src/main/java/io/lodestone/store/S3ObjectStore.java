package io.lodestone.store;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An {@link ObjectStore} on an S3 bucket (AWS or any S3-compatible server: MinIO, Cloudflare R2,
 * ...) through the AWS SDK v2 with the URL-connection HTTP client. Keys are stored under an
 * optional key prefix.
 *
 * <p>Failures: every request is retried by {@link S3Requests} (the SDK's own retries are off) on
 * transient failures, with exponential backoff and full jitter within the attempts and time of
 * {@link S3Tuning}; when they are spent the operation throws {@link IOException}. A response body
 * shorter than its {@code Content-Length}, or a ranged body shorter than its {@code Content-Range},
 * is a transient failure too, never a short answer.
 *
 * <p>{@link #putIfAbsent} is a PUT with {@code If-None-Match: *}, which the server evaluates
 * atomically. A retried conditional PUT whose first attempt did land comes back 412, which must not
 * make the writer believe it lost:
 * <ol>
 *   <li>200: this call created the object.</li>
 *   <li>412 PreconditionFailed: the key exists. If an earlier attempt of this call ended without
 *       an answer (network error, 5xx), that attempt may be the one that created it: the object
 *       is read back and the call won if it holds exactly these bytes.</li>
 *   <li>409 ConditionalRequestConflict (a concurrent conditional write to the key) and transient
 *       failures: retried.</li>
 *   <li>After the last attempt, the key is re-checked: present means the same as 412, absent is an
 *       {@link IOException}.</li>
 * </ol>
 * The read-back in step 2 cannot tell this call's bytes from identical bytes written by another
 * caller; Lodestone's log entries carry a unique writer id, so they never coincide.
 *
 * <p>Objects larger than {@link S3Tuning#multipartThreshold()} are uploaded with a
 * {@link MultipartUpload} (a single PUT is limited to 5 GB).
 *
 * <p>The SDK's request and response checksums are sent only when the operation requires them, for
 * compatibility with S3-compatible servers; every Lodestone file carries its own CRC32C.
 *
 * <p>Thread-safe: the SDK client is.
 */
public final class S3ObjectStore implements ObjectStore {

    private static final int MAX_KEYS_PER_PAGE = 1000;

    private final SdkHttpClient http;
    private final S3Client client;
    private final S3Requests requests;
    private final String bucket;
    private final String keyPrefix;
    private final String description;

    private S3ObjectStore(SdkHttpClient http, S3Client client, S3Tuning tuning, String bucket, String keyPrefix,
                          String description) {
        this.http = http;
        this.client = client;
        this.requests = new S3Requests(tuning, description);
        this.bucket = bucket;
        this.keyPrefix = keyPrefix;
        this.description = description;
    }

    /**
     * Connections kept open to the endpoint. A cold query reads its postings and then its reranked rows in batches
     * of 100–300 parallel ranged GETs; with few pooled connections most of a batch first opens a connection (a TCP
     * and, against S3, a TLS handshake), which spreads the batch over extra round trips.
     */
    static final int MAX_CONNECTIONS = 512;

    /** Opens a store from options that {@link ObjectStores} has validated and normalized. */
    static S3ObjectStore open(StorageOptions o) {
        return open(o, ApacheHttpClient.builder()
                .maxConnections(MAX_CONNECTIONS)
                .connectionTimeout(Duration.ofSeconds(10))
                .connectionAcquisitionTimeout(Duration.ofSeconds(10))
                .socketTimeout(o.tuning().readTimeout())
                .build());
    }

    /** As {@link #open(StorageOptions)} over the given HTTP client, which the store then owns (tests fake it). */
    static S3ObjectStore open(StorageOptions o, SdkHttpClient http) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClient(http)
                .region(region(o.region()))
                .credentialsProvider(credentials(o))
                .forcePathStyle(o.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (o.endpoint() != null) {
            builder.endpointOverride(URI.create(o.endpoint()));
        }
        String description = "s3://" + o.bucket() + "/" + o.prefix()
                + (o.endpoint() == null ? "" : " at " + o.endpoint());
        return new S3ObjectStore(http, builder.build(), o.tuning(), o.bucket(), o.prefix(), description);
    }

    private static Region region(String region) {
        if (region != null) {
            return Region.of(region);
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException none) {
            return Region.US_EAST_1;
        }
    }

    private static AwsCredentialsProvider credentials(StorageOptions o) {
        if (o.accessKeyId() != null) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(o.accessKeyId(), o.secretAccessKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    @Override
    public byte[] get(String key) throws IOException {
        String k = ObjectKeys.requireValidKey(key);
        return requests.call("get of key '" + key + "'", key,
                () -> completeBody(key, client.getObject(b -> b.bucket(bucket).key(keyPrefix + k), EXACT_BODY)));
    }

    @Override
    public byte[] getRange(String key, long offset, int length) throws IOException {
        String k = ObjectKeys.requireValidKey(key);
        ObjectKeys.requireValidRange(key, offset, length);
        if (length == 0) {
            size(key); // an absent key still fails
            return new byte[0];
        }
        var request = GetObjectRequest.builder().bucket(bucket).key(keyPrefix + k)
                .range("bytes=" + offset + "-" + (offset + length - 1)).build();
        return requests.call("getRange of key '" + key + "'", key, () -> {
            ResponseBytes<GetObjectResponse> response;
            try {
                response = client.getObject(request, EXACT_BODY);
            } catch (S3Exception e) {
                if (e.statusCode() == 416) {
                    return new byte[0]; // the object exists and ends at or before offset
                }
                throw e;
            }
            byte[] bytes = completeBody(key, response);
            if (response.response().contentRange() == null && offset > 0) {
                // The server ignored the Range header and sent the whole object.
                int from = (int) Math.min(offset, bytes.length);
                return Arrays.copyOfRange(bytes, from, (int) Math.min((long) from + length, bytes.length));
            }
            return bytes.length > length ? Arrays.copyOf(bytes, length) : bytes;
        });
    }

    /** One GET with a suffix range; the object's size comes from {@code Content-Range}. */
    @Override
    public Tail getTail(String key, int length) throws IOException {
        String k = ObjectKeys.requireValidKey(key);
        if (length <= 0) throw new IllegalArgumentException("tail length must be positive; got " + length);
        var request = GetObjectRequest.builder().bucket(bucket).key(keyPrefix + k).range("bytes=-" + length).build();
        Tail tail = requests.call("getTail of key '" + key + "'", key, () -> {
            ResponseBytes<GetObjectResponse> response;
            try {
                response = client.getObject(request, EXACT_BODY);
            } catch (S3Exception e) {
                if (e.statusCode() == 416) return null; // no suffix of an empty object: asked below
                throw e;
            }
            byte[] bytes = completeBody(key, response);
            long total = rangeTotal(response.response().contentRange());
            if (total < 0) {
                // no Content-Range: the server sent the whole object
                total = bytes.length;
                if (bytes.length > length) bytes = Arrays.copyOfRange(bytes, bytes.length - length, bytes.length);
            }
            return new Tail(bytes, total);
        });
        return tail != null ? tail : new Tail(new byte[0], size(key));
    }

    /** The TOTAL of a {@code Content-Range: bytes FIRST-LAST/TOTAL} header, or -1 when absent or unreadable. */
    static long rangeTotal(String contentRange) {
        if (contentRange == null) return -1;
        int slash = contentRange.indexOf('/');
        if (slash < 0) return -1;
        try {
            return Long.parseLong(contentRange.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Reads a GET's body into one array of the length its headers announce. The SDK's {@code toBytes} grows a buffer
     * by doubling and copies it out: a cold 1M-row open's 50 MB of 4 MiB ranges were copied about three times over
     * (JFR: {@code ByteArrayOutputStream.ensureCapacity} among the top frames between round trips). A body shorter or
     * longer than announced comes back at its real length, for {@link #completeBody} to refuse.
     */
    private static final ResponseTransformer<GetObjectResponse, ResponseBytes<GetObjectResponse>> EXACT_BODY = (response, in) -> {
        long announced = announcedLength(response);
        if (announced < 0 || announced > Integer.MAX_VALUE - 8) return ResponseBytes.fromByteArrayUnsafe(response, in.readAllBytes());
        byte[] body = new byte[(int) announced];
        int read = in.readNBytes(body, 0, body.length);
        if (read < body.length) return ResponseBytes.fromByteArrayUnsafe(response, Arrays.copyOf(body, read));
        byte[] more = in.readAllBytes();
        if (more.length == 0) return ResponseBytes.fromByteArrayUnsafe(response, body);
        byte[] all = Arrays.copyOf(body, body.length + more.length);
        System.arraycopy(more, 0, all, body.length, more.length);
        return ResponseBytes.fromByteArrayUnsafe(response, all);
    };

    /**
     * The body, checked against the length the headers announce ({@code Content-Range} when the server
     * sent a range, else {@code Content-Length}): a connection that closed early is a retryable failure.
     */
    private static byte[] completeBody(String key, ResponseBytes<GetObjectResponse> response)
            throws TruncatedResponseException {
        byte[] bytes = response.asByteArrayUnsafe();
        long announced = announcedLength(response.response());
        if (announced >= 0 && bytes.length != announced) {
            throw new TruncatedResponseException(key, bytes.length, announced);
        }
        return bytes;
    }

    /** The body length a GET response announces, or -1 when it announces none. */
    static long announcedLength(GetObjectResponse response) {
        long fromRange = rangeLength(response.contentRange());
        if (fromRange >= 0) return fromRange;
        return response.contentLength() == null ? -1 : response.contentLength();
    }

    /** Length of a {@code Content-Range: bytes FIRST-LAST/TOTAL} header, or -1 when absent or unreadable. */
    static long rangeLength(String contentRange) {
        if (contentRange == null || !contentRange.startsWith("bytes ")) return -1;
        int dash = contentRange.indexOf('-');
        int slash = contentRange.indexOf('/');
        if (dash < 0 || slash < dash) return -1;
        try {
            long first = Long.parseLong(contentRange.substring(6, dash).trim());
            long last = Long.parseLong(contentRange.substring(dash + 1, slash).trim());
            return last >= first ? last - first + 1 : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public long size(String key) throws IOException {
        String k = ObjectKeys.requireValidKey(key);
        Long size = requests.call("size of key '" + key + "'", key,
                () -> client.headObject(b -> b.bucket(bucket).key(keyPrefix + k)).contentLength());
        if (size == null) {
            throw new IOException("size of key '" + key + "' in " + description + ": HEAD sent no Content-Length");
        }
        return size;
    }

    /** One PUT, or a multipart upload above the threshold. */
    @Override
    public void put(String key, byte[] data) throws IOException {
        String k = ObjectKeys.requireValidKey(key);
        if (data.length > requests.tuning().multipartThreshold()) {
            new MultipartUpload(client, requests, bucket, keyPrefix + k, key).upload(data);
            return;
        }
        RequestBody body = RequestBody.fromBytes(data);
        requests.call("put of key '" + key + "'", null,
                () -> client.putObject(b -> b.bucket(bucket).key(keyPrefix + k), body));
    }

    /** Streams the file from disk in one PUT, or in parts above the multipart threshold. */
    @Override
    public void putFile(String key, Path file) throws IOException {
        String k = ObjectKeys.requireValidKey(key);
        if (Files.size(file) > requests.tuning().multipartThreshold()) {
            new MultipartUpload(client, requests, bucket, keyPrefix + k, key).upload(file);
            return;
        }
        RequestBody body = RequestBody.fromFile(file);
        requests.call("putFile of key '" + key + "'", null,
                () -> client.putObject(b -> b.bucket(bucket).key(keyPrefix + k), body));
    }

    /**
     * Streams the object to a temporary file next to {@code target}, then renames it over
     * {@code target}: a failed download leaves {@code target} as it was. A download cut short is retried
     * from the start.
     */
    @Override
    public void getToFile(String key, Path target) throws IOException {
        String k = ObjectKeys.requireValidKey(key);
        Path dir = target.toAbsolutePath().getParent();
        Path part = Files.createTempFile(dir, target.getFileName().toString() + ".", ".part");
        try {
            requests.call("getToFile of key '" + key + "'", key, () -> {
                try (OutputStream out = Files.newOutputStream(part)) {
                    long[] copied = new long[1];
                    GetObjectResponse response = client.getObject(b -> b.bucket(bucket).key(keyPrefix + k),
                            (r, in) -> {
                                copied[0] = in.transferTo(out);
                                return r;
                            });
                    long announced = announcedLength(response);
                    if (announced >= 0 && copied[0] != announced) {
                        throw new TruncatedResponseException(key, copied[0], announced);
                    }
                }
                return null;
            });
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) throws IOException {
        String k = ObjectKeys.requireValidKey(key);
        String what = "putIfAbsent of key '" + key + "'";
        var request = PutObjectRequest.builder().bucket(bucket).key(keyPrefix + k).ifNoneMatch("*").build();
        RequestBody body = RequestBody.fromBytes(data);
        boolean mayHaveLanded = false; // an earlier attempt ended without an answer
        RuntimeException last;
        RetryLoop loop = new RetryLoop(requests.tuning());
        do {
            try {
                client.putObject(request, body);
                return true;
            } catch (S3Exception e) {
                int status = e.statusCode();
                if (status == 412) {
                    return mayHaveLanded && holds(key, data);
                }
                if (status != 409 && !S3Requests.isTransient(e)) {
                    throw requests.failure(what, null, e);
                }
                mayHaveLanded |= status >= 500;
                last = e;
            } catch (RuntimeException e) {
                if (!S3Requests.fromRequest(e)) throw e;
                if (!S3Requests.isTransient(e)) {
                    throw requests.failure(what, null, e);
                }
                mayHaveLanded = true;
                last = e;
            }
        } while (loop.retry(what));
        // No decisive answer: whoever holds the key now won it.
        String undecided = what + " in " + description + " got no decisive answer in " + loop.attempts() + " attempts";
        try {
            byte[] current = get(key);
            return mayHaveLanded && Arrays.equals(current, data);
        } catch (ObjectNotFoundException absent) {
            throw new IOException(undecided + " and the key is still absent; last error: " + S3Requests.describe(last), last);
        } catch (IOException unreadable) {
            throw new IOException(undecided + " and reading the key back failed: " + unreadable.getMessage(), unreadable);
        }
    }

    /** Whether the object at {@code key} holds exactly {@code data} (false when it is gone again). */
    private boolean holds(String key, byte[] data) throws IOException {
        try {
            return Arrays.equals(get(key), data);
        } catch (ObjectNotFoundException deletedSince) {
            return false;
        }
    }

    /** Pages through ListObjectsV2; each page is retried on its own (a cut-off page fails to parse). */
    @Override
    public List<String> list(String prefix, String startAfter, int limit) throws IOException {
        String p = ObjectKeys.requireValidPrefix(prefix);
        ObjectKeys.requireValidLimit(limit);
        var keys = new ArrayList<String>(Math.min(limit, MAX_KEYS_PER_PAGE));
        String token = null;
        while (keys.size() < limit) {
            var request = ListObjectsV2Request.builder().bucket(bucket).prefix(keyPrefix + p)
                    .maxKeys(Math.min(MAX_KEYS_PER_PAGE, limit - keys.size()));
            if (token != null) {
                request.continuationToken(token);
            } else if (startAfter != null) {
                request.startAfter(keyPrefix + startAfter);
            }
            ListObjectsV2Request built = request.build();
            ListObjectsV2Response page = requests.call("list of prefix '" + p + "'", null,
                    () -> client.listObjectsV2(built));
            for (S3Object object : page.contents()) {
                String key = object.key().substring(keyPrefix.length());
                // Skip "folder/" placeholders (S3 consoles, some servers' directories): never object keys.
                if (keys.size() < limit && !key.endsWith("/")) {
                    keys.add(key);
                }
            }
            if (!Boolean.TRUE.equals(page.isTruncated()) || page.nextContinuationToken() == null) {
                break;
            }
            token = page.nextContinuationToken();
        }
        return keys;
    }

    @Override
    public void delete(String key) throws IOException {
        String k = ObjectKeys.requireValidKey(key);
        requests.call("delete of key '" + key + "'", null, () -> {
            try {
                client.deleteObject(b -> b.bucket(bucket).key(keyPrefix + k));
            } catch (S3Exception e) {
                if (e.statusCode() != 404 || "NoSuchBucket".equals(S3Requests.errorCode(e))) {
                    throw e;
                }
            }
            return null;
        });
    }

    @Override
    public String describe() {
        return description;
    }

    /** Closes the SDK client and its HTTP client. */
    @Override
    public void close() {
        try (http; client) {
            // both closed, in reverse order
        }
    }
}
