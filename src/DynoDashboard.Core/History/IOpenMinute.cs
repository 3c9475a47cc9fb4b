namespace DynoDashboard.Core.History;

/// <summary>A minute document the LiteDB store keeps in memory while facts may still arrive for it.</summary>
internal interface IOpenMinute
{
    /// <summary>The store's write number when a fact last touched it; idle ones leave the cache.</summary>
    long Touched { get; set; }
}
