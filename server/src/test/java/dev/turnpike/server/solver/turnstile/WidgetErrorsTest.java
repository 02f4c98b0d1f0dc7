package dev.turnpike.server.solver.turnstile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which widget failures full mode tries once more (a configuration error would only fail again). */
class WidgetErrorsTest {

    @Test
    void onlyFailuresThatMayPassOnASecondTryAreRetried() {
        assertThat(WidgetErrors.retryable("600010")).isTrue();
        assertThat(WidgetErrors.retryable("300030")).isTrue();
        assertThat(WidgetErrors.retryable("110600")).isTrue();
        assertThat(WidgetErrors.retryable("110100")).isFalse();
        assertThat(WidgetErrors.retryable("110110")).isFalse();
        assertThat(WidgetErrors.retryable("110200")).isFalse();
        assertThat(WidgetErrors.retryable("110420")).isFalse();
        assertThat(WidgetErrors.retryable("110510")).isFalse();
        assertThat(WidgetErrors.retryable(null)).isFalse();
    }
}
