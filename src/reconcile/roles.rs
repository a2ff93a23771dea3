//! Role spellings and aliases (being written).
