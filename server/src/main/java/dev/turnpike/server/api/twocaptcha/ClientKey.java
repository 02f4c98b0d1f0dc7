package dev.turnpike.server.api.twocaptcha;

import java.util.regex.Pattern;

/** The {@code key} parameter's shape: what answers {@code ERROR_WRONG_USER_KEY} before any lookup. */
final class ClientKey {

    /**
     * Turnpike's keys are 32 hex digits, as 2Captcha's; an operator's imported keys may be other printable tokens, so
     * any run of letters, digits, {@code _ - . ~} up to 256 characters is looked up.
     */
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_.~-]{1,256}");

    private ClientKey() {
    }

    static String of(Params params) throws TwoCaptchaException {
        String key = params.text("key");
        if (key == null) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_WRONG_USER_KEY, "key is missing");
        }
        if (!SHAPE.matcher(key).matches()) {
            throw new TwoCaptchaException(TwoCaptchaError.ERROR_WRONG_USER_KEY,
                    "key is not in the format of a key (32 hexadecimal digits)");
        }
        return key;
    }
}
