/**
 * Contract checks every score4j component should pass, for built-in and third-party plugins alike.
 * Call them from a JUnit test of the component.
 */
package org.score4j.testkit;
