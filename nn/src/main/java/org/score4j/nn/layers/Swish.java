package org.score4j.nn.layers;

import java.util.List;
import org.bytedeco.dnnl.stream;
import org.score4j.nn.Gradients;
import org.score4j.nn.Layer;
import org.score4j.nn.ParameterLayout;
import org.score4j.nn.Planes;
import org.score4j.nn.Weights;
import org.score4j.nn.cpu.OneDnn;
import org.score4j.nn.cpu.OneDnnSwish;

/**
 * Swish, y = x·sigmoid(x), elementwise on oneDNN ({@link OneDnnSwish}): any layout, no parameters. The backward pass
 * recomputes the sigmoid from x, so the activations keep a reference to x only. dx may be dy (in place).
 */
public final class Swish implements Layer<Swish.Activations> {
    private final int channels;
    private final Planes.Geometry geometry;

    public Swish(int channels, Planes.Geometry geometry) {
        if (channels < 1) {
            throw new IllegalArgumentException("need channels >= 1, got " + channels);
        }
        this.channels = channels;
        this.geometry = java.util.Objects.requireNonNull(geometry, "geometry");
    }

    @Override
    public List<ParameterLayout.Part> parameters() {
        return List.of();
    }

    @Override
    public Activations activations(int batch) {
        return new Activations(batch, new OneDnnSwish(new stream(OneDnn.engine()), (long) batch * geometry.plane(),
                channels));
    }

    @Override
    public void forward(Weights weights, Planes x, Planes y, Activations saved) {
        saved.x = x;
        saved.primitive.forward(x.pointer(), y.pointer());
    }

    @Override
    public void backward(Weights weights, Activations saved, Planes dy, Planes dx, Gradients gradients) {
        if (dx != null) {
            saved.primitive.backward(saved.x.pointer(), dy.pointer(), dx.pointer());
        }
    }

    @Override
    public double activationsPerExample() {
        return 0;
    }

    /** oneDNN's swish for one batch size, and the last pass's x. */
    public static final class Activations extends InputActivations {
        private final OneDnnSwish primitive;

        private Activations(int batch, OneDnnSwish primitive) {
            super(batch);
            this.primitive = primitive;
        }
    }
}
