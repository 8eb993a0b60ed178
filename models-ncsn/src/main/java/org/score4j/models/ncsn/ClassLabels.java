package org.score4j.models.ncsn;

import org.score4j.api.ConditionalScore;

/**
 * Class labels as network inputs. A model conditioned on C &gt; 0 classes appends a one-hot of C + 1 slots to its σ
 * features: slot y for label y, slot C for {@link ConditionalScore#UNCONDITIONAL} (and for null labels). The layer that
 * takes the σ features then learns one vector per slot, added where the σ features go: the label embedding, in one
 * place per model. An unconditional model (C = 0) has no slots and takes only null or all-unconditional labels.
 */
final class ClassLabels {
    private ClassLabels() {
    }

    /** Network inputs for the label: C + 1 for C &gt; 0 classes, none for an unconditional model. */
    static long slots(int classes) {
        return classes == 0 ? 0 : classes + 1L;
    }

    /**
     * Checks one label per row, each in [0, classes) or unconditional; null stands for all unconditional.
     *
     * @param model the model's name, for messages
     * @throws IllegalArgumentException naming the first bad label and its row
     */
    static void check(int[] labels, long rows, int classes, String model) {
        if (labels == null) {
            return;
        }
        if (labels.length != rows) {
            throw new IllegalArgumentException(model + " needs one label per row: " + rows + " rows, " + labels.length
                    + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            int y = labels[i];
            if (y == ConditionalScore.UNCONDITIONAL || (y >= 0 && y < classes)) {
                continue;
            }
            throw new IllegalArgumentException(classes == 0
                    ? model + " is unconditional (the data has no classes): labels must be null or "
                            + ConditionalScore.UNCONDITIONAL + ", got " + y + " at row " + i
                    : model + " has " + classes + " classes: labels must be in [0, " + classes + ") or "
                            + ConditionalScore.UNCONDITIONAL + " (unconditional), got " + y + " at row " + i);
        }
    }

    /**
     * Sets row i's slot of its label to 1 in {@code out[i·stride + offset …]}; the slots must be zero before. Does
     * nothing for an unconditional model.
     */
    static void writeOneHot(int[] labels, int rows, int classes, float[] out, int stride, int offset) {
        if (classes == 0) {
            return;
        }
        for (int i = 0; i < rows; i++) {
            int y = labels == null ? ConditionalScore.UNCONDITIONAL : labels[i];
            out[i * stride + offset + (y == ConditionalScore.UNCONDITIONAL ? classes : y)] = 1;
        }
    }
}
