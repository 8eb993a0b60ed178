package org.score4j.api.tensors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ndarray.ShapeInfoProvider;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ShapeInfoCacheTest {

    @Test
    void theBuildsTestsRunWithTheCacheAsTheCommandDoes() {
        assertThat(System.getProperty(ShapeInfoCache.PROPERTY)).isEqualTo(ShapeInfoCache.class.getName());
        assertThat(Nd4j.getShapeInfoProvider()).isInstanceOf(ShapeInfoCache.class);
        assertThat(((ShapeInfoCache) Nd4j.getShapeInfoProvider()).caching()).isTrue();
    }

    @Test
    void arraysOfOneShapeShareOneDescriptorAndKeepTheirOwnValues() {
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, 3, 5);
        INDArray b = Nd4j.createUninitialized(DataType.FLOAT, 3, 5);
        assertThat(b.shapeInfoDataBuffer()).isSameAs(a.shapeInfoDataBuffer());
        a.assign(2);
        b.assign(Nd4j.arange(1, 16).castTo(DataType.FLOAT).reshape(3, 5));
        assertThat(a.add(b).getFloat(2, 4)).isEqualTo(17f);
        assertThat(a.getFloat(2, 4)).isEqualTo(2f);
        assertThat(Nd4j.createUninitialized(DataType.DOUBLE, 3, 5).shapeInfoDataBuffer())
                .isNotSameAs(a.shapeInfoDataBuffer());
        assertThat(Nd4j.createUninitialized(DataType.FLOAT, new long[] {3, 5}, 'f').shapeInfoDataBuffer())
                .isNotSameAs(a.shapeInfoDataBuffer());
    }

    @Test
    void viewsReshapesAndEmptyArraysDescribeWhatTheBackendWouldDescribe() {
        ShapeInfoProvider cached = Nd4j.getShapeInfoProvider();
        INDArray a = Nd4j.arange(24).castTo(DataType.FLOAT).reshape('c', 4, 6);
        List<INDArray> arrays = List.of(a, a.transpose(), a.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all()),
                a.get(NDArrayIndex.all(), NDArrayIndex.interval(2, 5)), a.reshape('c', 2, 12), a.dup('f'),
                Nd4j.empty(DataType.FLOAT), Nd4j.scalar(2f), Nd4j.create(DataType.FLOAT, 0, 3),
                Nd4j.create(DataType.FLOAT, 3, 0));
        for (INDArray x : arrays) {
            // The backend's own descriptor, made afresh.
            long[] own = Shape.createShapeInformation(x.shape(), x.stride(), x.elementWiseStride(), x.ordering(),
                    x.dataType(), x.isEmpty()).asLong();
            assertThat(x.shapeInfoJava()).as("descriptor of %s", x.shapeInfoToString()).isEqualTo(own);
            assertThat(cached.createShapeInformation(x.shape(), x.stride(), x.elementWiseStride(), x.ordering(),
                    x.dataType(), x.isEmpty()).getSecond()).isEqualTo(own);
        }
        assertThat(Nd4j.scalar(2f).shapeInfoDataBuffer()).isNotSameAs(Nd4j.empty(DataType.FLOAT).shapeInfoDataBuffer());
        assertThat(Nd4j.scalar(2f).getFloat(0)).isEqualTo(2f);
        assertThat(a.get(NDArrayIndex.interval(1, 3), NDArrayIndex.all()).getFloat(1, 5)).isEqualTo(17f);
        assertThat(a.transpose().getFloat(5, 1)).isEqualTo(11f);
    }

    @Test
    void eachDistinctDescriptionIsMadeOnceUpToTheLimit() {
        Counting backend = new Counting();
        ShapeInfoCache cache = new ShapeInfoCache(backend, true);
        long[] shape = {2, 3};
        long[] stride = {3, 1};
        Pair<DataBuffer, long[]> first = cache.createShapeInformation(shape, stride, 1, 'c', DataType.FLOAT, false);
        shape[0] = 7; // the caller's arrays are not kept
        stride[0] = 9;
        assertThat(cache.createShapeInformation(new long[] {2, 3}, new long[] {3, 1}, 1, 'c', DataType.FLOAT, false))
                .isSameAs(first);
        assertThat(backend.made).hasSize(1);
        // Each part of the description tells descriptors apart.
        cache.createShapeInformation(new long[] {3, 2}, new long[] {3, 1}, 1, 'c', DataType.FLOAT, false);
        cache.createShapeInformation(new long[] {2, 3}, new long[] {1, 2}, 1, 'c', DataType.FLOAT, false);
        cache.createShapeInformation(new long[] {2, 3}, new long[] {3, 1}, 0, 'c', DataType.FLOAT, false);
        cache.createShapeInformation(new long[] {2, 3}, new long[] {3, 1}, 1, 'f', DataType.FLOAT, false);
        cache.createShapeInformation(new long[] {2, 3}, new long[] {3, 1}, 1, 'c', DataType.DOUBLE, false);
        cache.createShapeInformation(new long[] {2, 3}, new long[] {3, 1}, 1, 'c', DataType.FLOAT, true);
        assertThat(backend.made).hasSize(7);
        assertThat(cache.size()).isEqualTo(7);
        for (int i = cache.size(); i < ShapeInfoCache.LIMIT + 10; i++) {
            cache.createShapeInformation(new long[] {i + 10}, new long[] {1}, 1, 'c', DataType.FLOAT, false);
        }
        assertThat(cache.size()).isEqualTo(ShapeInfoCache.LIMIT);
        // Past the limit a new description is made every time.
        int made = backend.made.size();
        long[] late = {ShapeInfoCache.LIMIT + 100};
        cache.createShapeInformation(late, new long[] {1}, 1, 'c', DataType.FLOAT, false);
        cache.createShapeInformation(late, new long[] {1}, 1, 'c', DataType.FLOAT, false);
        assertThat(backend.made).hasSize(made + 2);
        cache.purgeCache();
        assertThat(cache.size()).isZero();
    }

    @Test
    void installKeepsAProviderTheUserChose() {
        String before = System.getProperty(ShapeInfoCache.PROPERTY);
        try {
            System.setProperty(ShapeInfoCache.PROPERTY, "org.nd4j.linalg.cpu.nativecpu.DirectShapeInfoProvider");
            ShapeInfoCache.install();
            assertThat(System.getProperty(ShapeInfoCache.PROPERTY))
                    .isEqualTo("org.nd4j.linalg.cpu.nativecpu.DirectShapeInfoProvider");
            System.clearProperty(ShapeInfoCache.PROPERTY);
            ShapeInfoCache.install();
            assertThat(System.getProperty(ShapeInfoCache.PROPERTY)).isEqualTo(ShapeInfoCache.class.getName());
        } finally {
            if (before == null) {
                System.clearProperty(ShapeInfoCache.PROPERTY);
            } else {
                System.setProperty(ShapeInfoCache.PROPERTY, before);
            }
        }
    }

    @Test
    void withoutCachingEveryCallReachesTheBackend() {
        Counting backend = new Counting();
        ShapeInfoCache cache = new ShapeInfoCache(backend, false);
        for (int i = 0; i < 3; i++) {
            cache.createShapeInformation(new long[] {2, 3}, new long[] {3, 1}, 1, 'c', DataType.FLOAT, false);
        }
        assertThat(backend.made).hasSize(3);
        assertThat(cache.size()).isZero();
    }

    /** A backend provider that records what it made. */
    private static final class Counting implements ShapeInfoProvider {
        private final List<long[]> made = new ArrayList<>();

        private Pair<DataBuffer, long[]> make(long[] shape) {
            made.add(shape.clone());
            return Pair.create(null, shape.clone());
        }

        @Override
        public Pair<DataBuffer, long[]> createShapeInformation(long[] shape, DataType dataType) {
            return make(shape);
        }

        @Override
        public Pair<DataBuffer, long[]> createShapeInformation(long[] shape, char order, DataType dataType) {
            return make(shape);
        }

        @Override
        public Pair<DataBuffer, long[]> createShapeInformation(long[] shape, long[] stride, long ews, char order,
                                                               DataType dataType, boolean empty) {
            return make(shape);
        }

        @Override
        public Pair<DataBuffer, long[]> createShapeInformation(long[] shape, long[] stride, long ews, char order,
                                                               long extras) {
            return make(shape);
        }

        @Override
        public void purgeCache() {
        }

        @Override
        public long getCachedBytes() {
            return 0;
        }
    }
}
