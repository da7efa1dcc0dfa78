/** Normalised domain values shared by every part of Vouch: events, records, findings. */
@NullMarked
package dev.vouch.core.model;

import org.jspecify.annotations.NullMarked;
