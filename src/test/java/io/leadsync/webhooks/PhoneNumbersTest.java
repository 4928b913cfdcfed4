package io.leadsync.webhooks;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.api.Test;

/** One lead, one number: the forms the CRMs write the same phone in are one E.164 number. */
class PhoneNumbersTest {

    @Test
    void theCrmsFormsAreOneNumber() {
        assertThat(PhoneNumbers.e164("919999999999"), is("+919999999999")); // TeleCRM
        assertThat(PhoneNumbers.e164("+919999999999"), is("+919999999999")); // Superfone
        assertThat(PhoneNumbers.e164(" +91 99999-99999 "), is("+919999999999"));
        assertThat(PhoneNumbers.e164("+91 (999) 999.9999"), is("+919999999999"));
        assertThat(PhoneNumbers.e164("00919999999999"), is("+919999999999"));
    }

    @Test
    void whatIsNoInternationalNumberIsNone() {
        assertThat(PhoneNumbers.e164("call me"), nullValue());
        assertThat(PhoneNumbers.e164("+0919999999999"), nullValue());
        assertThat(PhoneNumbers.e164("12345"), nullValue());
        assertThat(PhoneNumbers.e164("+9199999999999999"), nullValue());
        assertThat(PhoneNumbers.e164(null), nullValue());
    }
}
