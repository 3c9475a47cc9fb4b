namespace DynoDashboard.Web.Ingestion;

/// <summary>Heroku app names as the drain path takes them: 1–64 lowercase letters, digits and dashes.</summary>
public static class AppName
{
    public const int MaxLength = 64;

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}
