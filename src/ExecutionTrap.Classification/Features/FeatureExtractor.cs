namespace ExecutionTrap.Classification.Features;

/// <summary>
/// Turns the text of a meeting into hashed features, one code path for training and prediction:
/// word 1–2-grams and character 1–4-grams of the normalised title, each kind L2-normalised on its
/// own so the few words weigh as much as the many character grams. Provider
/// categories and the first words of the description are read into the same space at a lower
/// weight, so words the titles taught ("hiring", "incident") count there without labelled
/// examples of their own; each category is also a feature of its own, which corrections can teach.
/// </summary>
internal static class FeatureExtractor
{
    public const int MaxTitleChars = 256;
    public const int MaxCategories = 5;
    public const int MaxCategoryChars = 64;
    public const int MaxDescriptionWords = 40;
    public const int MaxDescriptionChars = 400;

    private const float TitleLength = 1f;
    private const float CategoryLength = 0.5f;
    private const float DescriptionLength = 0.3f;
    private const float OwnCategoryWeight = 0.5f;

    private const uint OffsetBasis = 2166136261u;
    private const uint Prime = 16777619u;
    private const char WordKind = 'w';
    private const char BigramKind = 'b';
    private const char CharKind = 'c';
    private const char CategoryKind = 'k';
    private const char StartMark = '\u0002';
    private const char EndMark = '\u0003';

    // The invitation boilerplate of Teams, Zoom and Meet says nothing about the work.
    private static readonly HashSet<string> DescriptionNoise = new(StringComparer.Ordinal)
    {
        "join", "joining", "microsoft", "teams", "zoom", "google", "meet", "meeting", "id", "passcode", "password",
        "click", "here", "link", "dial", "dial-in", "phone", "call", "conference", "pin", "num", "https", "http", "www",
        "com", "us", "the", "a", "an", "to", "of", "and", "or", "for", "in", "on", "at", "by", "with", "is", "be", "this",
        "please", "options", "learn", "more", "help", "video", "audio", "device", "app", "web", "browser", "invite",
    };

    /// <summary>
    /// Fills <paramref name="features"/> with the text features; <paramref name="block"/> is scratch space.
    /// With <paramref name="known"/>, features the training data never produced are dropped before
    /// normalising, so an unseen word neither counts nor dilutes the words that were seen, and the
    /// features are keyed by their row in <paramref name="known"/> rather than by hash.
    /// </summary>
    public static void Extract(string normalizedTitle, MeetingSignals signals, FeatureBag features, FeatureBag block, HashIndex? known = null)
    {
        features.Clear();
        block.Clear();
        block.Known = known;
        var title = normalizedTitle.AsSpan(0, Math.Min(normalizedTitle.Length, MaxTitleChars));
        AddWords(title, block);
        features.AddNormalized(block, TitleLength);
        block.Clear();
        AddCharGrams(title, block);
        features.AddNormalized(block, TitleLength);

        if (signals.Categories is { Count: > 0 } categories)
        {
            var count = Math.Min(categories.Count, MaxCategories);
            Span<(int Start, int Length)> spans = stackalloc (int, int)[count];
            var joined = new System.Text.StringBuilder();
            for (var i = 0; i < count; i++)
            {
                var category = TitleNormalizer.Normalize(categories[i]);
                var text = category.AsSpan(0, Math.Min(category.Length, MaxCategoryChars));
                spans[i] = (joined.Length, text.Length);
                joined.Append(text).Append(' ');
                var own = Hash(CategoryKind, text);
                var key = known is null ? (long)own : known.Find(own);
                if (text.Length > 0 && key >= 0)
                {
                    features.Add((uint)key, OwnCategoryWeight);
                }
            }

            var all = joined.ToString();
            block.Clear();
            foreach (var (start, length) in spans)
            {
                AddWords(all.AsSpan(start, length), block);
            }

            features.AddNormalized(block, CategoryLength);
            block.Clear();
            foreach (var (start, length) in spans)
            {
                AddCharGrams(all.AsSpan(start, length), block);
            }

            features.AddNormalized(block, CategoryLength);
        }

        if (!string.IsNullOrWhiteSpace(signals.Description))
        {
            block.Clear();
            var description = signals.Description.Length > MaxDescriptionChars ? signals.Description[..MaxDescriptionChars] : signals.Description;
            AddDescriptionWords(TitleNormalizer.Normalize(description), block);
            features.AddNormalized(block, DescriptionLength);
        }
    }

    /// <summary>The feature of one provider category as a feature of its own (used by explanations).</summary>
    public static uint CategoryFeature(string category)
    {
        var normalized = TitleNormalizer.Normalize(category);
        return Hash(CategoryKind, normalized.AsSpan(0, Math.Min(normalized.Length, MaxCategoryChars)));
    }

    private static void AddWords(ReadOnlySpan<char> text, FeatureBag block)
    {
        var previousStart = -1;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && text[i] == ' ')
            {
                i++;
            }

            if (i >= text.Length)
            {
                break;
            }

            var start = i;
            while (i < text.Length && text[i] != ' ')
            {
                i++;
            }

            block.Add(Hash(WordKind, text[start..i]), 1);
            if (previousStart >= 0)
            {
                // The normalised text has single spaces, so the span from the previous word is "w1 w2".
                block.Add(Hash(BigramKind, text[previousStart..i]), 1);
            }

            previousStart = start;
        }
    }

    // Character grams run across word boundaries, with marks for the start and end of the text, so
    // "sev1" and "sev 1", "standup" and "stand-up" share most of their grams.
    private static void AddCharGrams(ReadOnlySpan<char> text, FeatureBag block)
    {
        Span<char> padded = stackalloc char[text.Length + 2];
        padded[0] = StartMark;
        text.CopyTo(padded[1..]);
        padded[^1] = EndMark;
        for (var start = 0; start < padded.Length; start++)
        {
            var hash = unchecked((OffsetBasis ^ CharKind) * Prime);
            for (var length = 1; length <= 4 && start + length <= padded.Length; length++)
            {
                hash = (hash ^ padded[start + length - 1]) * Prime;
                block.Add(hash, 1);
            }
        }
    }

    private static void AddDescriptionWords(string normalized, FeatureBag block)
    {
        var words = 0;
        foreach (var word in normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (DescriptionNoise.Contains(word) || word.Length < 3)
            {
                continue;
            }

            block.Add(Hash(WordKind, word), 1);
            if (++words == MaxDescriptionWords)
            {
                return;
            }
        }
    }

    private static uint Hash(char kind, ReadOnlySpan<char> text)
    {
        var hash = unchecked((OffsetBasis ^ kind) * Prime);
        foreach (var c in text)
        {
            hash = (hash ^ c) * Prime;
        }

        return hash;
    }
}
