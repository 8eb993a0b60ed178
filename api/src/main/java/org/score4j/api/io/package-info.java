/**
 * Files that are data, never code: the safetensors tensor format ({@link org.score4j.api.io.SafeTensors}) with every
 * size checked against the file and a memory budget before anything is allocated.
 */
package org.score4j.api.io;
