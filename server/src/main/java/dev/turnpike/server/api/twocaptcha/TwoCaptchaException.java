package dev.turnpike.server.api.twocaptcha;

/** A request answered with one of 2Captcha's error codes; {@code text} is the {@code error_text} of the JSON form. */
final class TwoCaptchaException extends Exception {

    private final TwoCaptchaError code;

    TwoCaptchaException(TwoCaptchaError code, String text) {
        super(text, null, false, false); // control flow, not a fault: no stack trace
        this.code = code;
    }

    TwoCaptchaError code() {
        return code;
    }

    Answer toAnswer() {
        return Answer.error(code.name(), getMessage());
    }
}
