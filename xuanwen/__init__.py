"""xuanwen (宣文): grassroots publicity and cultural work, planned, recorded and reported."""
