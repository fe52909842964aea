package dev.chaperone.plugins.awssigv4;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SigningScopeTest {

    @ParameterizedTest(name = "{0} -> {1}/{2}")
    @CsvSource({
        "s3.eu-west-1.amazonaws.com, eu-west-1, s3",
        "dynamodb.us-east-1.amazonaws.com, us-east-1, dynamodb",
        "bucket.s3.us-east-2.amazonaws.com, us-east-2, s3",
        "my.dotted.bucket.s3.us-east-2.amazonaws.com, us-east-2, s3",
        "eu-west-1.s3.us-east-2.amazonaws.com, us-east-2, s3",
        "bucket.s3.amazonaws.com, us-east-1, s3",
        "s3.amazonaws.com, us-east-1, s3",
        "s3-external-1.amazonaws.com, us-east-1, s3",
        "s3-eu-west-1.amazonaws.com, eu-west-1, s3",
        "bucket.s3-us-west-2.amazonaws.com, us-west-2, s3",
        "s3.dualstack.us-west-2.amazonaws.com, us-west-2, s3",
        "bucket.s3.dualstack.ap-southeast-1.amazonaws.com, ap-southeast-1, s3",
        "s3-fips.us-gov-west-1.amazonaws.com, us-gov-west-1, s3",
        "s3-fips.dualstack.us-east-2.amazonaws.com, us-east-2, s3",
        "ap-123456789012.s3-accesspoint.us-west-2.amazonaws.com, us-west-2, s3",
        "dynamodb-fips.us-east-1.amazonaws.com, us-east-1, dynamodb",
        "sts-fips.us-east-2.amazonaws.com, us-east-2, sts",
        "iam.amazonaws.com, us-east-1, iam",
        "sts.amazonaws.com, us-east-1, sts",
        "sts.eu-central-1.amazonaws.com, eu-central-1, sts",
        "abc123.execute-api.eu-west-1.amazonaws.com, eu-west-1, execute-api",
        "search-logs-x1.eu-west-1.es.amazonaws.com, eu-west-1, es",
        "email.us-east-1.amazonaws.com, us-east-1, ses",
        "bedrock-runtime.us-west-2.amazonaws.com, us-west-2, bedrock",
        "runtime.sagemaker.eu-west-2.amazonaws.com, eu-west-2, sagemaker",
        "s3.cn-north-1.amazonaws.com.cn, cn-north-1, s3",
    })
    void derivesRegionAndServiceFromAwsHost(String host, String region, String service) {
        assertThat(SigningScope.fromHost(host)).contains(new SigningScope(region, service));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "amazonaws.com", "example.amazonaws.com",
        "ec2-203-0-113-5.compute-1.amazonaws.com", "s3.amazonaws.com.evil.example", "s3.eu-west-1.notamazonaws.com",
        "127.0.0.1"})
    void derivesNothingFromHostsThatDoNotNameAnAwsService(String host) {
        assertThat(SigningScope.fromHost(host)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "AWS4-HMAC-SHA256 Credential=AKIDUMMY/20240101/us-west-2/s3/aws4_request, SignedHeaders=host, Signature=ab",
        "AWS4-HMAC-SHA256 Credential=AKIDUMMY/20240101/us-west-2/s3/aws4_request,SignedHeaders=host,Signature=ab",
        "AWS4-HMAC-SHA256 SignedHeaders=host, Credential=x/20240101/us-west-2/s3/aws4_request, Signature=ab"})
    void readsTheSandboxsDummyCredentialScope(String authorization) {
        assertThat(SigningScope.fromAuthorization(authorization)).contains(new SigningScope("us-west-2", "s3"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer token", "AWS AKID:signature",
        "AWS4-ECDSA-P256-SHA256 Credential=AKID/20240101/s3/aws4_request, SignedHeaders=host, Signature=ab",
        "AWS4-HMAC-SHA256 Credential=AKID/2024/us-west-2/s3/aws4_request, SignedHeaders=host, Signature=ab",
        "AWS4-HMAC-SHA256 Credential=AKID/20240101/US-WEST-2/s3/aws4_request, SignedHeaders=host, Signature=ab",
        "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-west-2/s3/aws5_request, SignedHeaders=host, Signature=ab"})
    void ignoresAuthorizationWithoutAUsableScope(String authorization) {
        assertThat(SigningScope.fromAuthorization(authorization)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3", "s3-object-lambda", "s3-outposts", "s3express"})
    void treatsTheS3FamilyByS3Rules(String service) {
        assertThat(new SigningScope("us-east-1", service).isS3()).isTrue();
        assertThat(UriRules.of(new SigningScope("us-east-1", service))).isEqualTo(UriRules.S3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dynamodb", "sts", "execute-api", "s3control"})
    void treatsOtherServicesByTheGeneralRules(String service) {
        assertThat(new SigningScope("us-east-1", service).isS3()).isFalse();
        assertThat(UriRules.of(new SigningScope("us-east-1", service))).isEqualTo(UriRules.DEFAULT);
    }
}
