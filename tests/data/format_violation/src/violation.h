#pragma once
int   badly_formatted( int a,int b ) { return a+b; }
