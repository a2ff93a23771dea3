//! Item and heading text analysis (being written).
