package org.score4j.api.tensors;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.common.config.ND4JClassLoading;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.ShapeInfoProvider;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.factory.Nd4jBackend;

/**
 * ND4J's shape descriptors made once per shape instead of once per array. ND4J 1.0.0-M2.1's CPU backend caches the
 * descriptors of only some of the ways an array is made; every array made with {@code Nd4j.createUninitialized}, and
 * every view and reshape, got a fresh native descriptor (docs/speed.md, "What made it fast"). This provider gives the
 * same descriptors, kept per shape, strides, element-wise stride, order, data type and emptiness (about
 * {@value #LIMIT} of them; past that it makes each afresh, as ND4J does). Descriptors are constant buffers in ND4J,
 * shared by every array of the shape, as those ND4J caches itself are.
 *
 * <p>ND4J takes its provider from the system property {@value #PROPERTY}, read once, when ND4J starts. The
 * {@code score4j} command and its benchmark workers call {@link #install()} before anything touches ND4J, the Java
 * API ({@code Score4j}) when it is first used, and the build's tests run with the property set. Everything else goes
 * to the backend's own provider (the one its configuration names); on a backend other than the CPU's nothing is
 * cached and every request goes to that provider.
 */
public final class ShapeInfoCache implements ShapeInfoProvider {
    /** The system property naming ND4J's shape-descriptor provider. */
    public static final String PROPERTY = "shapeinfoprovider";

    /** The number of descriptors kept (concurrent callers may each add one more). */
    public static final int LIMIT = 4096;

    private static final String CPU_BACKEND = "org.nd4j.linalg.cpu.nativecpu.CpuBackend";

    private final ShapeInfoProvider backend;
    private final boolean caching;
    private final Map<Key, Pair<DataBuffer, long[]>> kept = new ConcurrentHashMap<>();

    /**
     * The provider ND4J creates: over the backend's own, caching on the CPU backend.
     *
     * @throws IllegalStateException if the backend's configuration cannot be read or names no provider that can be
     *                               created
     */
    public ShapeInfoCache() {
        this(backendProvider(Nd4j.getBackend()), CPU_BACKEND.equals(Nd4j.getBackend().getClass().getName()));
    }

    /**
     * @param backend the provider that makes the descriptors
     * @param caching whether to keep them
     */
    public ShapeInfoCache(ShapeInfoProvider backend, boolean caching) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.caching = caching;
    }

    /**
     * Makes this class ND4J's provider, unless the property is already set (by the user, who keeps ND4J's own with
     * {@code -Dshapeinfoprovider=<its class>}). Effective only before ND4J starts; afterwards it changes nothing.
     */
    public static void install() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, ShapeInfoCache.class.getName());
        }
    }

    /**
     * What is wrong with the provider the property names, if anything: a class that does not load or is no
     * {@link ShapeInfoProvider} (ND4J would start without a provider and fail at its first array). Empty when the
     * property is unset or names a provider on the class path.
     */
    public static Optional<String> problem() {
        String name = System.getProperty(PROPERTY);
        if (name == null) {
            return Optional.empty();
        }
        String fix = "; leave it unset for score4j's own (" + ShapeInfoCache.class.getName()
                + ") or name ND4J's, e.g. org.nd4j.linalg.cpu.nativecpu.DirectShapeInfoProvider";
        try {
            Class<?> type = Class.forName(name, false, ShapeInfoCache.class.getClassLoader());
            return ShapeInfoProvider.class.isAssignableFrom(type) ? Optional.empty()
                    : Optional.of("-D" + PROPERTY + "=" + name + " is not an ND4J shape-descriptor provider" + fix);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.of("-D" + PROPERTY + "=" + name + " names no class on the class path" + fix);
        }
    }

    /** Whether this provider keeps descriptors (the CPU backend). */
    public boolean caching() {
        return caching;
    }

    /** How many descriptors it keeps now. */
    public int size() {
        return kept.size();
    }

    /** The class name of the backend's provider, which makes the descriptors. */
    public String backendProvider() {
        return backend.getClass().getName();
    }

    @Override
    public Pair<DataBuffer, long[]> createShapeInformation(long[] shape, long[] stride, long elementWiseStride,
                                                           char order, DataType dataType, boolean empty) {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(stride, "stride");
        Objects.requireNonNull(dataType, "dataType");
        if (!caching) {
            return backend.createShapeInformation(shape, stride, elementWiseStride, order, dataType, empty);
        }
        // Looked up with the caller's arrays, kept with copies of them.
        Pair<DataBuffer, long[]> known = kept.get(new Key(shape, stride, elementWiseStride, order, dataType, empty));
        if (known != null) {
            return known;
        }
        Pair<DataBuffer, long[]> made = backend.createShapeInformation(shape, stride, elementWiseStride, order,
                dataType, empty);
        if (kept.size() < LIMIT) {
            Pair<DataBuffer, long[]> first = kept.putIfAbsent(
                    new Key(shape.clone(), stride.clone(), elementWiseStride, order, dataType, empty), made);
            return first != null ? first : made;
        }
        return made;
    }

    @Override
    public Pair<DataBuffer, long[]> createShapeInformation(long[] shape, DataType dataType) {
        return backend.createShapeInformation(shape, dataType);
    }

    @Override
    public Pair<DataBuffer, long[]> createShapeInformation(long[] shape, char order, DataType dataType) {
        return backend.createShapeInformation(shape, order, dataType);
    }

    @Override
    public Pair<DataBuffer, long[]> createShapeInformation(long[] shape, long[] stride, long elementWiseStride,
                                                           char order, long extras) {
        return backend.createShapeInformation(shape, stride, elementWiseStride, order, extras);
    }

    @Override
    public void purgeCache() {
        kept.clear();
        backend.purgeCache();
    }

    @Override
    public long getCachedBytes() {
        return backend.getCachedBytes();
    }

    /** The provider the backend's configuration names, as ND4J would create it. */
    private static ShapeInfoProvider backendProvider(Nd4jBackend backend) {
        Properties configuration = new Properties();
        try (InputStream in = backend.getConfigurationResource().getInputStream()) {
            configuration.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the configuration of ND4J's backend " + backend, e);
        }
        String name = configuration.getProperty(PROPERTY);
        if (name == null || name.equals(ShapeInfoCache.class.getName())) {
            throw new IllegalStateException("ND4J's backend " + backend
                    + " names no shape-descriptor provider of its own");
        }
        Class<?> type = ND4JClassLoading.loadClassByName(name);
        if (type == null) {
            throw new IllegalStateException("cannot load ND4J's shape-descriptor provider " + name);
        }
        try {
            return (ShapeInfoProvider) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException("cannot create ND4J's shape-descriptor provider " + name, e);
        }
    }

    /** What a descriptor describes. */
    private record Key(long[] shape, long[] stride, long elementWiseStride, char order, DataType dataType,
                       boolean empty) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(shape, k.shape) && Arrays.equals(stride, k.stride)
                    && elementWiseStride == k.elementWiseStride && order == k.order && dataType == k.dataType
                    && empty == k.empty;
        }

        @Override
        public int hashCode() {
            int h = 31 * Arrays.hashCode(shape) + Arrays.hashCode(stride);
            h = 31 * h + Long.hashCode(elementWiseStride);
            h = 31 * h + order;
            h = 31 * h + dataType.ordinal();
            return 31 * h + (empty ? 1 : 0);
        }
    }
}
