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
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An {@link ObjectStore} on an S3 bucket (AWS or any S3-compatible server: MinIO, Cloudflare R2,
 * ...) through the AWS SDK v2 with the URL-connection HTTP client. Keys are stored under an
 * optional key prefix.
 *
 * <p>{@link #putIfAbsent} is a PUT with {@code If-None-Match: *}, which the server evaluates
 * atomically. It is sent by a client without SDK retries, because a retried conditional PUT whose
 * first attempt did land would come back 412 and make the writer believe it lost. Instead:
 * <ol>
 *   <li>200: this call created the object.</li>
 *   <li>412 PreconditionFailed: the key exists. If an earlier attempt of this call ended without
 *       an answer (network error, 5xx), that attempt may be the one that created it: the object
 *       is read back and the call won if it holds exactly these bytes.</li>
 *   <li>409 ConditionalRequestConflict (a concurrent conditional write to the key), network
 *       errors and 5xx: retried with jittered exponential backoff.</li>
 *   <li>After the last attempt, the key is re-checked: present means the same as 412, absent is an
 *       {@link IOException}.</li>
 * </ol>
 * The read-back in step 2 cannot tell this call's bytes from identical bytes written by another
 * caller; Lodestone's log entries carry a unique writer id, so they never coincide.
 *
 * <p>The SDK's request and response checksums are sent only when the operation requires them, for
 * compatibility with S3-compatible servers; every Lodestone file carries its own CRC32C.
 *
 * <p>Thread-safe: the SDK clients are.
 */
public final class S3ObjectStore implements ObjectStore {

    private static final int CONDITIONAL_PUT_ATTEMPTS = 6;
    private static final long BACKOFF_BASE_MILLIS = 20;
    private static final long BACKOFF_MAX_MILLIS = 1_000;
    private static final int MAX_KEYS_PER_PAGE = 1000;

    private final SdkHttpClient http;
    private final S3Client client;
    private final S3Client conditionalClient;
    private final String bucket;
    private final String keyPrefix;
    private final String description;

    private S3ObjectStore(SdkHttpClient http, S3Client client, S3Client conditionalClient, String bucket,
                          String keyPrefix, String description) {
        this.http = http;
        this.client = client;
        this.conditionalClient = conditionalClient;
        this.bucket = bucket;
        this.keyPrefix = keyPrefix;
        this.description = description;
    }

    /** Opens a store from options that {@link ObjectStores} has validated and normalized. */
    static S3ObjectStore open(StorageOptions o) {
        return open(o, UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(10))
                .socketTimeout(Duration.ofSeconds(60))
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
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (o.endpoint() != null) {
            builder.endpointOverride(URI.create(o.endpoint()));
        }
        S3Client client = builder.build();
        S3Client conditional = builder.overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
        String description = "s3://" + o.bucket() + "/" + o.prefix()
                + (o.endpoint() == null ? "" : " at " + o.endpoint());
        return new S3ObjectStore(http, client, conditional, o.bucket(), o.prefix(), description);
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
        try {
            return client.getObjectAsBytes(b -> b.bucket(bucket).key(keyPrefix + k)).asByteArray();
        } catch (SdkException e) {
            throw failure("get", key, e);
        }
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
        ResponseBytes<GetObjectResponse> response;
        try {
            response = client.getObjectAsBytes(request);
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                return new byte[0]; // the object exists and ends at or before offset
            }
            throw failure("getRange", key, e);
        } catch (SdkException e) {
            throw failure("getRange", key, e);
        }
        byte[] bytes = response.asByteArray();
        if (response.response().contentRange() == null && offset > 0) {
            // The server ignored the Range header and sent the whole object.
            int from = (int) Math.min(offset, bytes.length);
            return Arrays.copyOfRange(bytes, from, (int) Math.min((long) from + length, bytes.length));
        }
        return bytes.length > length ? Arrays.copyOf(bytes, length) : bytes;
    }

    @Override
    public long size(String key) throws IOException {
        String k = ObjectKeys.requireValidKey(key);
        try {
            Long size = client.headObject(b -> b.bucket(bucket).key(keyPrefix + k)).contentLength();
            if (size == null) {
                throw new IOException("size of key '" + key + "' in " + description + ": HEAD sent no Content-Length");
            }
            return size;
        } catch (SdkException e) {
            throw failure("size", key, e);
        }
    }

    @Override
    public void put(String key, byte[] data) throws IOException {
        String k = ObjectKeys.requireValidKey(key);
        try {
            client.putObject(b -> b.bucket(bucket).key(keyPrefix + k), RequestBody.fromBytes(data));
        } catch (SdkException e) {
            throw failure("put", key, e);
        }
    }

    /** Streams the file from disk (any size) in one PUT. */
    @Override
    public void putFile(String key, Path file) throws IOException {
        String k = ObjectKeys.requireValidKey(key);
        try {
            client.putObject(b -> b.bucket(bucket).key(keyPrefix + k), RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw failure("putFile", key, e);
        }
    }

    /**
     * Streams the object to a temporary file next to {@code target}, then renames it over
     * {@code target}: a failed download leaves {@code target} as it was.
     */
    @Override
    public void getToFile(String key, Path target) throws IOException {
        String k = ObjectKeys.requireValidKey(key);
        Path dir = target.toAbsolutePath().getParent();
        Path part = Files.createTempFile(dir, target.getFileName().toString() + ".", ".part");
        try {
            try (OutputStream out = Files.newOutputStream(part)) {
                client.getObject(b -> b.bucket(bucket).key(keyPrefix + k), ResponseTransformer.toOutputStream(out));
            } catch (SdkException e) {
                throw failure("getToFile", key, e);
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    @Override
    public boolean putIfAbsent(String key, byte[] data) throws IOException {
        String k = ObjectKeys.requireValidKey(key);
        var request = PutObjectRequest.builder().bucket(bucket).key(keyPrefix + k).ifNoneMatch("*").build();
        boolean mayHaveLanded = false; // an earlier attempt ended without an answer
        SdkException last = null;
        for (int attempt = 1; attempt <= CONDITIONAL_PUT_ATTEMPTS; attempt++) {
            try {
                conditionalClient.putObject(request, RequestBody.fromBytes(data));
                return true;
            } catch (S3Exception e) {
                int status = e.statusCode();
                if (status == 412) {
                    return mayHaveLanded && holds(key, data);
                }
                if (status != 409 && status != 429 && status < 500) {
                    throw failure("putIfAbsent", key, e);
                }
                mayHaveLanded |= status >= 500;
                last = e;
            } catch (SdkClientException e) {
                mayHaveLanded = true;
                last = e;
            }
            if (attempt < CONDITIONAL_PUT_ATTEMPTS) {
                backoff(key, attempt);
            }
        }
        // No decisive answer: whoever holds the key now won it.
        try {
            byte[] current = get(key);
            return mayHaveLanded && Arrays.equals(current, data);
        } catch (ObjectNotFoundException absent) {
            throw new IOException("putIfAbsent of key '" + key + "' in " + description + " got no decisive answer in "
                    + CONDITIONAL_PUT_ATTEMPTS + " attempts and the key is still absent; last error: "
                    + describe(last), last);
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

    private static void backoff(String key, int attempt) throws InterruptedIOException {
        long cap = Math.min(BACKOFF_MAX_MILLIS, BACKOFF_BASE_MILLIS << (attempt - 1));
        try {
            Thread.sleep(cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while retrying putIfAbsent of key '" + key + "'");
        }
    }

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
            ListObjectsV2Response page;
            try {
                page = client.listObjectsV2(request.build());
            } catch (SdkException e) {
                throw new IOException("list of prefix '" + p + "' in " + description + " failed: " + describe(e), e);
            }
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
        try {
            client.deleteObject(b -> b.bucket(bucket).key(keyPrefix + k));
        } catch (S3Exception e) {
            if (e.statusCode() != 404 || "NoSuchBucket".equals(errorCode(e))) {
                throw failure("delete", key, e);
            }
        } catch (SdkException e) {
            throw failure("delete", key, e);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    /** Closes the SDK clients and their HTTP client. */
    @Override
    public void close() {
        try (http; client; conditionalClient) {
            // all three closed, in reverse order
        }
    }

    private IOException failure(String op, String key, SdkException e) {
        if (e instanceof NoSuchKeyException
                || e instanceof S3Exception s3 && s3.statusCode() == 404 && !"NoSuchBucket".equals(errorCode(s3))) {
            return new ObjectNotFoundException(key);
        }
        return new IOException(op + " of key '" + key + "' in " + description + " failed: " + describe(e), e);
    }

    private static String describe(SdkException e) {
        if (e instanceof S3Exception s3) {
            String code = errorCode(s3);
            String message = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorMessage();
            return "HTTP " + s3.statusCode() + (code == null ? "" : " " + code)
                    + (message == null ? "" : ": " + message);
        }
        return e == null ? "none" : e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }
}
