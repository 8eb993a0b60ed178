package org.score4j.nn;

import java.util.List;

/**
 * A layer of a network on score4j's CPU engine: a differentiable function y = f(x; θ) of feature maps
 * ({@link Planes}) and of the layer's parts of the network's flat parameter vector.
 *
 * <h2>Protocol</h2>
 * For each batch size the caller asks once for the layer's {@link #activations} and keeps them; a pass is then
 * {@link #forward}, which fills them, and any number of {@link #backward} passes with the same activations (none, one
 * for the input gradient only, another for the parameter gradient, ...), which leave them as the forward pass left
 * them. A forward pass with the same activations ends the previous pass. Layers are not thread-safe; each call may use score4j's kernel threads and
 * oneDNN's OpenMP threads internally.
 *
 * <h2>Ownership</h2>
 * <ul>
 * <li>The caller allocates x, y, dy and dx ({@link Planes#allocate}) with the channels and geometry the layer was
 * built for and in the layout it takes (its constructor says which), and releases them.</li>
 * <li>The activations may keep a reference to x: the caller leaves x unchanged from {@link #forward} until the
 * {@link #backward} that uses it. They own their own native memory and work space, which
 * {@link Activations#release} frees.</li>
 * <li>The layer reads the {@link Weights} (never writes them) and <em>adds</em> its parameter gradient into the
 * {@link Gradients}, at its parts' offsets.</li>
 * </ul>
 *
 * @param <A> the activations a forward pass saves for the backward pass: a type of the layer's own, not a map of
 *            named buffers
 */
public interface Layer<A extends Layer.Activations> {

    /** The layer's parts of the network's parameter vector, as it declared them in the network's layout. */
    List<ParameterLayout.Part> parameters();

    /**
     * The activations and work space for batches of {@code batch} examples, allocated now; reuse them for every pass
     * of that batch size and {@link Activations#release} them when done.
     */
    A activations(int batch);

    /** y ← f(x; θ), overwriting y, keeping in {@code saved} what {@link #backward} needs. */
    void forward(Weights weights, Planes x, Planes y, A saved);

    /**
     * Back through the last {@link #forward} with {@code saved}, given dy = ∂L/∂y: writes ∂L/∂x into {@code dx}
     * (overwritten) unless it is null, and adds ∂L/∂θ into {@code gradients} unless it is null. dy is left as it was
     * unless the layer's documentation allows dx to be dy (in place).
     */
    void backward(Weights weights, A saved, Planes dy, Planes dx, Gradients gradients);

    /**
     * The floats of native memory that {@link #activations} allocates per example: what a pass of this layer keeps
     * and works in beyond its caller's x, y, dy and dx.
     */
    double activationsPerExample();

    /** What a forward pass saves for its backward pass, and the work space of both, for one batch size. */
    interface Activations {
        /** Examples per pass. */
        int batch();

        /** Floats of native memory held. */
        long floats();

        /** Frees the native memory now. */
        void release();
    }
}
