namespace MlopsTf.Constructs.Security;

/// <summary>What a principal does with a customer managed key; <see cref="KeyActions"/> turns it into KMS actions.</summary>
public enum KeyUse
{
    /// <summary>Decrypt data only (<c>kms:Decrypt</c>), e.g. another account reading objects through S3.</summary>
    DecryptData,

    /// <summary>Read data encrypted with the key: decrypt and describe.</summary>
    Decrypt,

    /// <summary>Read and write data encrypted with the key (S3 SSE-KMS, Glue security configurations, Terraform state).</summary>
    EncryptDecrypt,

    /// <summary>Send or receive through an encrypted queue or topic, or read encrypted environment variables: data keys and decrypt.</summary>
    Envelope,
}

/// <summary>The one place the KMS actions of each <see cref="KeyUse"/> are written.</summary>
public static class KeyActions
{
    /// <summary>The actions of <paramref name="use"/>.</summary>
    public static string[] For(KeyUse use) => use switch
    {
        KeyUse.DecryptData => ["kms:Decrypt"],
        KeyUse.Decrypt => ["kms:Decrypt", "kms:DescribeKey"],
        KeyUse.EncryptDecrypt => ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        KeyUse.Envelope => ["kms:Decrypt", "kms:GenerateDataKey"],
        _ => throw new ArgumentOutOfRangeException(nameof(use), use, "unknown key use"),
    };

    /// <summary>What AWS services that encrypt on the account's behalf (logs, alarms, events, budgets) may do in a key policy.</summary>
    public static readonly string[] ServiceUse = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];
}
