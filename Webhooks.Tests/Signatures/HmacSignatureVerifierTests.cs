using System.Text;
using Microsoft.AspNetCore.Http;
using Webhooks.Receiver.Signatures;
using Webhooks.Tests.Infrastructure;

namespace Webhooks.Tests.Signatures;

public class HmacSignatureVerifierTests
{
    private const string Secret = "hmac-secret-1";
    private const string Rotated = "hmac-secret-2";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"data":{"id":"d_1"}}""");

    [Test]
    public void Verify_HexWithPrefix_Accepted()
    {
        var verifier = new HmacSignatureVerifier([Secret], "X-Hub-Signature-256", "hex", "sha256=", null);
        var headers = new HeaderDictionary { ["X-Hub-Signature-256"] = "sha256=" + TestSigner.HmacHex(Secret, Body) };

        Assert.That(verifier.Verify(headers, Body).IsValid, Is.True);
    }

    [Test]
    public void Verify_Base64WithRotatedSecret_Accepted()
    {
        var verifier = new HmacSignatureVerifier([Secret, Rotated], "X-Signature", "base64", null, null);
        var headers = new HeaderDictionary { ["X-Signature"] = TestSigner.HmacBase64(Rotated, Body) };

        Assert.That(verifier.Verify(headers, Body).IsValid, Is.True);
    }

    [Test]
    public void Verify_WrongSecret_Rejected()
    {
        var verifier = new HmacSignatureVerifier([Secret], "X-Signature", "hex", null, null);
        var headers = new HeaderDictionary { ["X-Signature"] = TestSigner.HmacHex("other", Body) };

        var result = verifier.Verify(headers, Body);

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Failure, Does.Contain("does not match"));
    }

    [Test]
    public void Verify_MissingPrefix_Rejected()
    {
        var verifier = new HmacSignatureVerifier([Secret], "X-Hub-Signature-256", "hex", "sha256=", null);
        var headers = new HeaderDictionary { ["X-Hub-Signature-256"] = TestSigner.HmacHex(Secret, Body) };

        Assert.That(verifier.Verify(headers, Body).IsValid, Is.False);
    }

    [Test]
    public void Verify_MissingHeader_NamesIt()
    {
        var verifier = new HmacSignatureVerifier([Secret], "X-Signature", "hex", null, null);

        var result = verifier.Verify(new HeaderDictionary(), Body);

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Failure, Does.Contain("X-Signature"));
    }
}
