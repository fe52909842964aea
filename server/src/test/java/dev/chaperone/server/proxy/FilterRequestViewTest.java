package dev.chaperone.server.proxy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.chaperone.spi.Headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilterRequestViewTest {

    private static FilterRequestView view(String query) {
        return new FilterRequestView("box", "id", "GET", "https", "api.example.test", 443, "HTTP/1.1", "/v1",
                query, new Headers(), name -> Optional.empty());
    }

    @Test
    void settingAParameterReplacesEveryOneOfThatNameAndEncodesIt() {
        FilterRequestView view = view("a=1&key=old&b=2&key=older");

        view.setQueryParameter("key", "new value&more=/");

        assertThat(view.query()).isEqualTo("a=1&b=2&key=new%20value%26more%3D%2F");
        assertThat(view.pathAndQuery()).isEqualTo("/v1?a=1&b=2&key=new%20value%26more%3D%2F");
    }

    @Test
    void parameterNamesAreComparedDecoded() {
        FilterRequestView view = view("api%5Fkey=1&x=2");

        view.setQueryParameter("api_key", "2");

        assertThat(view.query()).isEqualTo("x=2&api_key=2");
    }

    @Test
    void removingTheLastParameterLeavesNoQuery() {
        FilterRequestView view = view("key=1");

        view.removeQueryParameter("key");

        assertThat(view.query()).isNull();
        assertThat(view.pathAndQuery()).isEqualTo("/v1");
    }

    @Test
    void settingAParameterOnARequestWithoutQueryAddsOne() {
        FilterRequestView view = view(null);

        view.setQueryParameter("ü", "x y");

        assertThat(view.query()).isEqualTo("%C3%BC=x%20y");
    }

    @Test
    void refusesLineBreaksInParameters() {
        FilterRequestView view = view(null);

        assertThatThrownBy(() -> view.setQueryParameter("k", "a\r\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> view.setQueryParameter("", "a")).isInstanceOf(IllegalArgumentException.class);
    }
}
